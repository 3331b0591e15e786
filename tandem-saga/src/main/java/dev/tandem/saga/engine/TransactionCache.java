package dev.tandem.saga.engine;

import dev.tandem.eventstore.NewEvent;
import dev.tandem.saga.coordinator.Transaction;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's last known state of each transaction it is driving, so a reply does not re-read and re-fold the
 * whole stream. A <em>trusted</em> entry holds state known to be durable (read from the store, or decided by this
 * coordinator and since reported durable) and is used as is; any other entry is a hint that
 * {@link TransactionStreams#current} checks against the store before use (it reads the events after the entry and,
 * for a decision not yet known to be durable, checks they are exactly the decided events). A trusted entry may be
 * stale only if another coordinator appended since (after taking the lease over): every commit decided on it is
 * conditional on the exact stream version it was decided on (an append expecting it, or a guard), so staleness
 * ends in a conflict, and the conflict path checks the store again.
 */
final class TransactionCache {

    /** Beyond this many entries the cache starts over (a safety bound; live transactions refill it on their next read). */
    static final int MAX_ENTRIES = 200_000;

    /**
     * {@code state} is the fold of the stream up to {@code baseVersion} plus {@code pending}: events decided on top of
     * version {@code baseVersion} that may or may not have been committed (empty once known to be in the store);
     * {@code claimToken} is the highest fencing token claimed in the stream up to {@code baseVersion}; {@code trusted}
     * says the entry is known to be durable (then {@code pending} is empty).
     */
    record Entry(Transaction state, long baseVersion, List<NewEvent> pending, long claimToken, boolean trusted) {

        Entry {
            pending = List.copyOf(pending);
            if (trusted && !pending.isEmpty()) {
                throw new IllegalArgumentException("a trusted entry has no pending events");
            }
        }

        /** State known to be durable at {@code version}. */
        static Entry stored(Transaction state, long version, long claimToken) {
            return new Entry(state, version, List.of(), claimToken, true);
        }

        /** A decision on top of {@code baseVersion} whose commit (of {@code pending}, or of a guard only) is not yet known durable. */
        static Entry decided(Transaction state, long baseVersion, List<NewEvent> pending, long claimToken) {
            return new Entry(state, baseVersion, pending, claimToken, false);
        }

        long version() {
            return baseVersion + pending.size();
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    Entry get(String transactionId) {
        return entries.get(transactionId);
    }

    /**
     * Keeps {@code entry} unless the cache holds a later one: a store completion that reports an older decision durable
     * (a start, a timer) can arrive after a reply was already decided on top of it, and must not put the older state
     * back as trusted.
     */
    void put(String transactionId, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.merge(transactionId, entry, (old, now) -> now.version() >= old.version() ? now : old);
    }

    void remove(String transactionId) {
        entries.remove(transactionId);
    }

    /** Removes the entry only if it is still {@code entry} (a concurrent, newer decision keeps its own). */
    void remove(String transactionId, Entry entry) {
        entries.remove(transactionId, entry);
    }

    /**
     * The decision of {@code entry} is known to be durable: replaces it, if it is still the entry, with a trusted one at
     * its version, so the next decision needs no read at all.
     */
    void confirm(String transactionId, Entry entry) {
        if (!entry.trusted()) {
            entries.replace(transactionId, entry, Entry.stored(entry.state(), entry.version(), entry.claimToken()));
        }
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
