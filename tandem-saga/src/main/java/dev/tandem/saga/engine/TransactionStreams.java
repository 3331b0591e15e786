package dev.tandem.saga.engine;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.coordinator.TransactionState;
import java.util.ArrayList;
import java.util.List;

/** Reads transaction streams ({@code saga-<id>}) and folds them into state with their stream version. */
final class TransactionStreams {

    static final String CATEGORY = "saga-";
    private static final int PAGE = 500;

    /** A transaction's state, the stream version it was read at, and its stored events. */
    record Loaded(TransactionState state, long version, List<RecordedEvent> recorded) {}

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
        return new Loaded(state, version, recorded);
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
