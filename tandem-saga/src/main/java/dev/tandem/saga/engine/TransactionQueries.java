package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.coordinator.TransactionState;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Lists transactions by state and age: a projection of every transaction stream in the store, caught up from
 * the store's global order at each query (so it is never staler than the last durable commit).
 */
public final class TransactionQueries {

    private static final int PAGE = 5000;

    private final EventStore store;
    private final TransactionDecider decider;
    private final InstantSource clock;
    private final Map<String, TransactionState> states = new HashMap<>();
    private long position;

    public TransactionQueries(EventStore store, DefinitionRegistry registry, InstantSource clock) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.decider = new TransactionDecider(InvalidInputException.requireNonNull(registry, "registry"));
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
    }

    /** Transactions in {@code status}, oldest first, at most {@code limit}. */
    public synchronized List<Transaction> byStatus(Status status, int limit) {
        InvalidInputException.requireNonNull(status, "status");
        return select(t -> t.status() == status, limit);
    }

    /** Transactions not final (running, compensating, confirming or stuck) that started more than {@code age} ago. */
    public synchronized List<Transaction> unfinishedOlderThan(Duration age, int limit) {
        InvalidInputException.requireNonNull(age, "age");
        Instant cutoff = clock.instant().minus(age);
        return select(t -> !t.status().isFinal() && t.startedAt().isBefore(cutoff), limit);
    }

    /** How many transactions are in each status. */
    public synchronized Map<Status, Long> countByStatus() {
        catchUp();
        Map<Status, Long> counts = new HashMap<>();
        for (TransactionState s : states.values()) {
            if (s instanceof Transaction t) {
                counts.merge(t.status(), 1L, Long::sum);
            }
        }
        return counts;
    }

    private List<Transaction> select(Predicate<Transaction> filter, int limit) {
        if (limit < 1) {
            throw InvalidInputException.of("limit", "must be at least 1, was " + limit);
        }
        catchUp();
        return states.values().stream()
                .filter(Transaction.class::isInstance).map(Transaction.class::cast)
                .filter(filter)
                .sorted(Comparator.comparing(Transaction::startedAt).thenComparing(Transaction::id))
                .limit(limit)
                .toList();
    }

    private void catchUp() {
        while (true) {
            List<RecordedEvent> page = store.readAll(position, PAGE);
            for (RecordedEvent e : page) {
                position = e.position();
                String id = TransactionStreams.transactionIdOf(e.stream());
                TransactionEvent event = id == null ? null : TransactionEventCodec.decode(e);
                if (event != null) {
                    states.put(id, decider.evolve(states.getOrDefault(id, TransactionDecider.initial()), event));
                }
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }
}
