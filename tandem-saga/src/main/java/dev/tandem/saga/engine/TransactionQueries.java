package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Lists transactions by state and age: a projection of every transaction stream in the store, caught up from
 * the store's global order at each query (so it is never staler than the last durable commit).
 *
 * <p>Memory stays bounded by the transactions in progress: a transaction that becomes final (COMMITTED or
 * COMPENSATED) is counted, kept among the {@link #KEEP_FINISHED} most recent of its status, and otherwise
 * forgotten; nothing happens to a final transaction afterwards, so its later events (there are none) need no state.
 */
public final class TransactionQueries {

    /** How many of the most recently finished transactions of each final status are kept for {@link #byStatus}. */
    public static final int KEEP_FINISHED = 1_000;

    private static final int PAGE = 5000;

    private final EventStore store;
    private final TransactionDecider decider;
    private final InstantSource clock;
    /** Transactions not final: running, confirming, compensating or stuck. */
    private final Map<String, Transaction> open = new HashMap<>();
    /** The most recently finished transactions of each final status, in the order they finished. */
    private final Map<Status, ArrayDeque<Transaction>> recentlyFinished = new EnumMap<>(Status.class);
    private final Map<Status, Long> finishedCounts = new EnumMap<>(Status.class);
    private long position;

    public TransactionQueries(EventStore store, DefinitionRegistry registry, InstantSource clock) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.decider = new TransactionDecider(InvalidInputException.requireNonNull(registry, "registry"));
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
    }

    /**
     * Transactions in {@code status}, oldest first, at most {@code limit}. For a final status (COMMITTED, COMPENSATED),
     * among the {@link #KEEP_FINISHED} that reached it most recently.
     */
    public synchronized List<Transaction> byStatus(Status status, int limit) {
        InvalidInputException.requireNonNull(status, "status");
        requireLimit(limit);
        catchUp();
        return select(status.isFinal() ? recentlyFinished.getOrDefault(status, new ArrayDeque<>()) : open.values(), t -> t.status() == status,
                limit);
    }

    /** Transactions not final (running, compensating, confirming or stuck) that started more than {@code age} ago. */
    public synchronized List<Transaction> unfinishedOlderThan(Duration age, int limit) {
        InvalidInputException.requireNonNull(age, "age");
        requireLimit(limit);
        catchUp();
        Instant cutoff = clock.instant().minus(age);
        return select(open.values(), t -> t.startedAt().isBefore(cutoff), limit);
    }

    /** How many transactions are in each status (the final ones: every one that ever finished). */
    public synchronized Map<Status, Long> countByStatus() {
        catchUp();
        Map<Status, Long> counts = new HashMap<>(finishedCounts);
        for (Transaction t : open.values()) {
            counts.merge(t.status(), 1L, Long::sum);
        }
        return counts;
    }

    private static void requireLimit(int limit) {
        if (limit < 1) {
            throw InvalidInputException.of("limit", "must be at least 1, was " + limit);
        }
    }

    /** {@code from}'s transactions that pass {@code filter}, oldest first, at most {@code limit} (caught up already). */
    private static List<Transaction> select(Collection<Transaction> from, Predicate<Transaction> filter, int limit) {
        return from.stream()
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
                    apply(id, event);
                }
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    private void apply(String id, TransactionEvent event) {
        Transaction before = open.get(id);
        if (before == null && !(event instanceof TransactionEvent.Started)) {
            return; // every transaction starts with Started, seen first: this one finished and was forgotten
        }
        // from Started on, a transaction's state is a Transaction (the evolution refuses anything else)
        Transaction t = (Transaction) decider.evolve(before == null ? TransactionDecider.initial() : before, event);
        if (t.status().isFinal()) {
            open.remove(id);
            finishedCounts.merge(t.status(), 1L, Long::sum);
            ArrayDeque<Transaction> recent = recentlyFinished.computeIfAbsent(t.status(), s -> new ArrayDeque<>());
            recent.addLast(t);
            if (recent.size() > KEEP_FINISHED) {
                recent.removeFirst();
            }
        } else {
            open.put(id, t);
        }
    }
}
