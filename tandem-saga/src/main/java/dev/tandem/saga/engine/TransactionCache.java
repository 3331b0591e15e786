package dev.tandem.saga.engine;

import dev.tandem.eventstore.NewEvent;
import dev.tandem.saga.coordinator.Transaction;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's last known state of each transaction it is driving, so a reply does not re-read and re-fold the
 * whole stream. An entry is only a hint: {@link TransactionStreams#current} checks it against the store before use
 * (it reads the events after the entry and, for a decision not yet known to be durable, checks they are exactly the
 * decided events), and every append still expects the exact stream version it was decided on.
 */
final class TransactionCache {

    /** Beyond this many entries the cache starts over (a safety bound; live transactions refill it on their next read). */
    static final int MAX_ENTRIES = 200_000;

    /**
     * {@code state} is the fold of the stream up to {@code baseVersion} plus {@code pending}: events decided on top of
     * version {@code baseVersion} that may or may not have been committed (empty once known to be in the store);
     * {@code claimToken} is the highest fencing token claimed in the stream up to {@code baseVersion}.
     */
    record Entry(Transaction state, long baseVersion, List<NewEvent> pending, long claimToken) {

        Entry {
            pending = List.copyOf(pending);
        }

        static Entry stored(Transaction state, long version, long claimToken) {
            return new Entry(state, version, List.of(), claimToken);
        }

        long version() {
            return baseVersion + pending.size();
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    Entry get(String transactionId) {
        return entries.get(transactionId);
    }

    void put(String transactionId, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(transactionId, entry);
    }

    void remove(String transactionId) {
        entries.remove(transactionId);
    }

    /** Removes the entry only if it is still {@code entry} (a concurrent, newer decision keeps its own). */
    void remove(String transactionId, Entry entry) {
        entries.remove(transactionId, entry);
    }

    /**
     * The decision of {@code entry} is known to be durable: replaces it, if it is still the entry, with a stored one at
     * its version, so the next read checks only for events after it instead of re-reading the decided ones.
     */
    void confirm(String transactionId, Entry entry) {
        if (!entry.pending().isEmpty()) {
            entries.replace(transactionId, entry, Entry.stored(entry.state(), entry.version(), entry.claimToken()));
        }
    }

    int size() {
        return entries.size();
    }
}
