package dev.tandem.saga.engine;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.coordinator.TransactionState;
import java.util.ArrayList;
import java.util.List;

/** Reads transaction streams ({@code saga-<id>}) and folds them into state with their stream version. */
final class TransactionStreams {

    static final String CATEGORY = "saga-";
    private static final int PAGE = 500;

    /**
     * A transaction's state, the stream version it was read at, its stored events (empty when served from the cache),
     * and the highest fencing token claimed in the stream (see {@link Fence}).
     */
    record Loaded(TransactionState state, long version, List<RecordedEvent> recorded, long claimToken) {}

    private final EventStore store;
    private final TransactionDecider decider;

    TransactionStreams(EventStore store, TransactionDecider decider) {
        this.store = store;
        this.decider = decider;
    }

    static StreamId streamOf(String transactionId) {
        return StreamId.of(CATEGORY + transactionId);
    }

    static String transactionIdOf(StreamId stream) {
        return stream.value().startsWith(CATEGORY) ? stream.value().substring(CATEGORY.length()) : null;
    }

    Loaded load(String transactionId) {
        return load(streamOf(transactionId));
    }

    /**
     * The transaction's state as of now, from {@code cache}: a trusted entry as is (see {@link TransactionCache});
     * otherwise, when the entry still holds, reads only the events after the entry's base version, checks that the
     * entry's pending events are exactly the ones stored there (so they were committed), and folds whatever else was
     * appended since. Falls back to {@link #load} otherwise and refreshes the entry. The returned
     * {@link Loaded#recorded()} is empty: use {@link #load} for the timeline.
     */
    Loaded current(String transactionId, TransactionCache cache) {
        TransactionCache.Entry entry = cache.get(transactionId);
        if (entry != null && entry.trusted()) {
            return new Loaded(entry.state(), entry.version(), List.of(), entry.claimToken());
        }
        if (entry != null) {
            Loaded fresh = verify(streamOf(transactionId), entry);
            if (fresh != null) {
                if (((Transaction) fresh.state()).status().isFinal()) {
                    cache.remove(transactionId, entry); // nothing more to decide: no need to keep it
                } else {
                    cache.put(transactionId, TransactionCache.Entry.stored((Transaction) fresh.state(), fresh.version(), fresh.claimToken()));
                }
                return fresh;
            }
            cache.remove(transactionId, entry);
        }
        Loaded loaded = load(transactionId);
        if (loaded.state() instanceof Transaction tx && !tx.status().isFinal()) {
            cache.put(transactionId, TransactionCache.Entry.stored(tx, loaded.version(), loaded.claimToken()));
        }
        return new Loaded(loaded.state(), loaded.version(), List.of(), loaded.claimToken());
    }

    /** As {@link #current}, but a transaction not in the cache is taken to be new (version 0) without a read. */
    Loaded currentOrNew(String transactionId, TransactionCache cache) {
        return cache.get(transactionId) == null
                ? new Loaded(TransactionDecider.initial(), 0, List.of(), 0)
                : current(transactionId, cache);
    }

    /** The state from {@code entry} and the events after it, or null when the store does not bear the entry out. */
    private Loaded verify(StreamId stream, TransactionCache.Entry entry) {
        List<NewEvent> pending = entry.pending();
        List<RecordedEvent> after = store.readStream(stream, entry.baseVersion() + 1, ReadDirection.FORWARD, PAGE);
        if (after.size() < pending.size() || after.size() == PAGE) {
            return null; // the decision was not committed, or a long way behind: read it all
        }
        long version = entry.baseVersion();
        for (int i = 0; i < pending.size(); i++) {
            RecordedEvent stored = after.get(i);
            if (stored.version() != ++version || !stored.sameContentAs(pending.get(i))) {
                return null; // someone else's events took that place: the decision was refused
            }
        }
        TransactionState state = entry.state();
        long claimToken = entry.claimToken();
        for (int i = pending.size(); i < after.size(); i++) {
            RecordedEvent e = after.get(i);
            if (e.version() != ++version) {
                return null;
            }
            claimToken = Math.max(claimToken, Fence.highestToken(List.of(e)));
            TransactionEvent event = TransactionEventCodec.decode(e);
            if (event != null) {
                state = decider.evolve(state, event);
            }
        }
        return state instanceof Transaction ? new Loaded(state, version, List.of(), claimToken) : null;
    }

    Loaded load(StreamId stream) {
        List<RecordedEvent> recorded = readAll(store, stream);
        TransactionState state = TransactionDecider.initial();
        for (RecordedEvent e : recorded) {
            TransactionEvent event = TransactionEventCodec.decode(e);
            if (event != null) {
                state = decider.evolve(state, event);
            }
        }
        long version = recorded.isEmpty() ? 0 : recorded.getLast().version();
        return new Loaded(state, version, recorded, Fence.highestToken(recorded));
    }

    static List<RecordedEvent> readAll(EventStore store, StreamId stream) {
        List<RecordedEvent> all = new ArrayList<>();
        while (true) {
            List<RecordedEvent> page = store.readStream(stream, all.size() + 1L, ReadDirection.FORWARD, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
        }
    }
}
