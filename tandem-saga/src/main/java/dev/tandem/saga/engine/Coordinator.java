package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamGuard;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.messaging.LogContext;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.Tracing;
import dev.tandem.messaging.inbox.CommitAwareHandler;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionCommand;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.coordinator.TransactionRejectedException;
import dev.tandem.saga.coordinator.TransactionState;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.protocol.BranchReply;
import dev.tandem.saga.protocol.ProtocolJson;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;

/**
 * Drives transactions: each instance is a stream {@code saga-<id>} in the coordinator's store; commands to
 * participants are routed events appended in the same commit (the store is the outbox); replies come in
 * through {@link #replyHandler()} (the inbox commits them atomically with the decision). Every append
 * expects the exact stream version it decided on, so a stale instance's append fails instead of forking
 * the transaction, and none is made to a stream claimed by an owner with a higher fencing token ({@link Fence}).
 *
 * <p>Time comes from the injected clock and jitter from the injected random source; timers are kept in an
 * index of each live transaction's next due instant, rebuilt from the streams by {@link #recover()} and
 * fired by {@link #fireDueTimers()} (see {@link TimerDriver}).
 */
public final class Coordinator {

    private static final int MAX_CONFLICT_RETRIES = 5;

    private final String name;
    private final EventStore store;
    private final TransactionDecider decider;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final TransactionEventCodec codec;
    private final TransactionStreams streams;
    private final TimerIndex timers = new TimerIndex();
    private final Ownership ownership;
    private final TransactionCache cache = new TransactionCache();
    private final ConcurrentHashMap<String, CompletableFuture<Transaction>> terminalWaiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Transaction>> settledWaiters = new ConcurrentHashMap<>();
    private final ReplyHandler replyHandler = new ReplyHandler();
    private final StuckListener stuckListener;
    private final CoordinatorStats stats = new CoordinatorStats();

    /**
     * A coordinator that logs every transaction that gets stuck ({@link StuckListener#logging()}).
     *
     * @param name the coordinator's destination: participants send their replies there
     * @param ownership which transactions this instance may drive; {@link Ownership#all()} for a single instance
     */
    public Coordinator(String name, EventStore store, DefinitionRegistry registry, InstantSource clock, RandomGenerator random,
            Ownership ownership) {
        this(name, store, registry, clock, random, ownership, StuckListener.logging());
    }

    /**
     * @param name the coordinator's destination: participants send their replies there
     * @param ownership which transactions this instance may drive; {@link Ownership#all()} for a single instance
     * @param stuckListener told of each transaction this instance made durably {@link Status#STUCK}
     */
    public Coordinator(String name, EventStore store, DefinitionRegistry registry, InstantSource clock, RandomGenerator random,
            Ownership ownership, StuckListener stuckListener) {
        this.name = InvalidInputException.requireText(name, "coordinator.name", 200);
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.decider = new TransactionDecider(InvalidInputException.requireNonNull(registry, "registry"));
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
        this.random = InvalidInputException.requireNonNull(random, "random");
        this.ownership = InvalidInputException.requireNonNull(ownership, "ownership");
        this.stuckListener = InvalidInputException.requireNonNull(stuckListener, "stuckListener");
        this.codec = new TransactionEventCodec(name);
        this.streams = new TransactionStreams(store, decider);
    }

    public String name() {
        return name;
    }

    /** What this instance has durably decided since it started (counters for {@link CoordinatorMetrics}). */
    public CoordinatorStats stats() {
        return stats;
    }

    /** Transactions this instance has a due time for: the ones it drives that are not final (nor STUCK). */
    public int scheduledTransactions() {
        return timers.size();
    }

    /** Starts {@code transactionId} (idempotent for the same definition and input) and waits until it is durable. */
    public Transaction start(String transactionId, String definition, String input) {
        return EventStore.await(startAsync(transactionId, definition, input));
    }

    /** Starts a transaction; the future completes once its first commands are durable in the outbox. */
    public CompletableFuture<Transaction> startAsync(String transactionId, String definition, String input) {
        return startAsync(transactionId, definition, input, TraceContext.NONE);
    }

    /**
     * Starts a transaction on behalf of a caller whose correlation id and W3C trace context ({@code trace}) every event and
     * message of the transaction then carries (each also names what caused it); the future completes once its first
     * commands are durable in the outbox. A repeated start finds the transaction with the context it started with.
     */
    public CompletableFuture<Transaction> startAsync(String transactionId, String definition, String input, TraceContext trace) {
        InvalidInputException.requireText(transactionId, "transactionId", TransactionDecider.MAX_TRANSACTION_ID);
        InvalidInputException.requireNonNull(trace, "trace");
        // decided as new without a read: the first append expects an empty stream, so a start of an existing id conflicts
        // and is decided again on the stored transaction (the same one again, or a clear refusal)
        return execute(transactionId, s -> new TransactionCommand.Start(transactionId, definition, input, clock.instant(), trace), 0, true);
    }

    /** Operator: gives a STUCK transaction's failing phase a fresh budget of attempts; recorded as an audited event. */
    public Transaction operatorRetry(String transactionId, String operator, String reason) {
        return EventStore.await(execute(transactionId, s -> {
            TransactionDecider.checkOperatorCommand(transactionId, s);
            return new TransactionCommand.OperatorRetry(operator, reason, clock.instant());
        }, 0));
    }

    /** Operator: declares a STUCK transaction COMMITTED or COMPENSATED after a manual repair; recorded as an audited event. */
    public Transaction operatorResolve(String transactionId, Status resolution, String operator, String reason) {
        return EventStore.await(execute(transactionId, s -> {
            TransactionDecider.checkOperatorCommand(transactionId, s);
            return new TransactionCommand.OperatorResolve(operator, resolution, reason, clock.instant());
        }, 0));
    }

    /**
     * The inbox handler for participants' {@link BranchReply} messages. Run by an {@link dev.tandem.messaging.inbox.InboxConsumer}
     * (as in a {@link dev.tandem.messaging.runtime.ServiceNode}), it also learns when its decisions are durable, which
     * completes the futures of {@link #whenTerminal}.
     */
    public MessageHandler replyHandler() {
        return replyHandler;
    }

    /**
     * Completes with the transaction once it is final ({@link Status#isFinal() COMMITTED or COMPENSATED}): at once
     * when it already is, else when this coordinator makes the final decision durable (a reply consumed through an
     * {@link dev.tandem.messaging.inbox.InboxConsumer}, a timer, or an operator command). This includes transactions
     * it resumed with {@link #recover()}. When this instance stops leading ({@link CoordinatorNode.Role#STANDING_BY}),
     * every waiting future fails with a {@link NotOwnerException}: another instance makes the decision; {@link #find} reads it. The id need not be started yet; a future
     * for a transaction that never starts stays incomplete, so callers should bound their wait. The future is
     * completed on the thread that learned of the durable decision (the inbox's delivery thread or the store's
     * writer): keep dependent actions short, or attach them with the {@code *Async} methods. A STUCK transaction is
     * not final: {@link #whenSettled} also completes for it.
     */
    public CompletableFuture<Transaction> whenTerminal(String transactionId) {
        return waitFor(transactionId, terminalWaiters, Status::isFinal);
    }

    /**
     * As {@link #whenTerminal}, but also completes when the transaction is {@link Status#STUCK}: once nothing more
     * happens to it without an operator. What a caller waiting for an outcome should use, so that a transaction an
     * operator must repair does not leave it waiting until its own timeout.
     */
    public CompletableFuture<Transaction> whenSettled(String transactionId) {
        return waitFor(transactionId, settledWaiters, Status::isSettled);
    }

    private CompletableFuture<Transaction> waitFor(String transactionId, ConcurrentHashMap<String, CompletableFuture<Transaction>> waiters,
            Predicate<Status> reached) {
        InvalidInputException.requireText(transactionId, "transactionId", TransactionDecider.MAX_TRANSACTION_ID);
        CompletableFuture<Transaction> waiter = waiters.computeIfAbsent(transactionId, k -> new CompletableFuture<>());
        CompletableFuture<Transaction> result = waiter.copy(); // a caller cancelling its copy does not affect others
        try { // registered first, read second: a decision made durable after this read finds the waiter
            if (streams.current(transactionId, cache).state() instanceof Transaction tx && reached.test(tx.status())) {
                complete(waiters, transactionId, tx);
            }
        } catch (RuntimeException e) {
            waiters.remove(transactionId, waiter);
            waiter.completeExceptionally(e);
        }
        return result;
    }

    /** {@code tx} is durable: completes the futures it satisfies. */
    private void completeWaiters(String transactionId, Transaction tx) {
        if (tx.status().isFinal()) {
            complete(terminalWaiters, transactionId, tx);
        }
        if (tx.status().isSettled()) {
            complete(settledWaiters, transactionId, tx);
        }
    }

    private static void complete(ConcurrentHashMap<String, CompletableFuture<Transaction>> waiters, String transactionId, Transaction tx) {
        CompletableFuture<Transaction> waiter = waiters.remove(transactionId);
        if (waiter != null) {
            waiter.complete(tx);
        }
    }

    /**
     * This instance no longer drives anything (its lease moved to another instance, see {@link CoordinatorNode}):
     * forgets its cached states and timers, and fails every waiting {@link #whenTerminal} and {@link #whenSettled} future
     * with a {@link NotOwnerException}, since the decisions they wait for will be made elsewhere. A later
     * {@link #recover()} takes the transactions up again from their streams.
     */
    void standDown() {
        timers.clear();
        cache.clear();
        for (ConcurrentHashMap<String, CompletableFuture<Transaction>> waiters : List.of(terminalWaiters, settledWaiters)) {
            for (String id : List.copyOf(waiters.keySet())) {
                CompletableFuture<Transaction> waiter = waiters.remove(id);
                if (waiter != null) {
                    waiter.completeExceptionally(new NotOwnerException(name, id));
                }
            }
        }
    }

    /** How many {@link #whenTerminal} and {@link #whenSettled} futures are waiting (for tests and diagnostics). */
    int terminalWaiters() {
        return terminalWaiters.size() + settledWaiters.size();
    }

    /** The reply handler; told by the inbox when a decision's commit is durable. */
    private final class ReplyHandler implements CommitAwareHandler {
        @Override
        public Commit.Builder handle(Message message) {
            return handleReply(message);
        }

        /**
         * A reply's decision appends to its transaction's stream at the exact version it was decided on, and the decider
         * ignores a reply its state already took in (duplicate, stale or late): a redelivered reply changes nothing, so
         * the inbox need not record replies.
         */
        @Override
        public boolean deduplicates(Message message) {
            return message.type().equals(BranchReply.TYPE);
        }

        @Override
        public void committed(Message message, Commit commit) {
            for (StreamGuard guard : commit.guards()) { // a reply consumed without an append: the state it was decided on holds
                String id = TransactionStreams.transactionIdOf(guard.stream());
                TransactionCache.Entry entry = id == null ? null : cache.get(id);
                if (entry != null && entry.pending().isEmpty() && guard.expected().equals(ExpectedVersion.exactly(entry.baseVersion()))) {
                    cache.confirm(id, entry);
                }
            }
            for (StreamWrite write : commit.writes()) {
                String id = TransactionStreams.transactionIdOf(write.stream());
                if (id == null) {
                    continue;
                }
                TransactionCache.Entry entry = cache.get(id);
                Transaction after;
                long version;
                if (entry != null && entry.pending().equals(write.events())) {
                    after = entry.state();
                    version = entry.version();
                    if (after.status().isFinal()) {
                        cache.remove(id, entry);
                    } else {
                        cache.confirm(id, entry);
                    }
                } else if (reread(id) instanceof TransactionStreams.Loaded l && l.state() instanceof Transaction tx) {
                    after = tx; // another decision replaced the entry: what the store holds now
                    version = l.version();
                } else {
                    continue;
                }
                // timers move only once a decision is durable: a commit the inbox fails must not move them
                timers.schedule(id, version, after.nextDueAt());
                completeWaiters(id, after);
                observeDurable(after, write.events());
            }
        }
    }

    /** The transaction as stored now, read whatever the cache holds, and cached again. */
    private TransactionStreams.Loaded reread(String id) {
        cache.remove(id);
        return streams.current(id, cache);
    }

    private Commit.Builder handleReply(Message message) {
        if (!message.type().equals(BranchReply.TYPE)) {
            throw new NonTransientException("coordinator " + name + " cannot handle message type " + message.type() + " of " + message.id());
        }
        BranchReply reply = ProtocolJson.decode(message.payload(), BranchReply.class);
        if (!ownership.owns(reply.transactionId())) {
            throw new NotOwnerException(name, reply.transactionId());
        }
        TransactionStreams.Loaded loaded = streams.current(reply.transactionId(), cache);
        checkFence(reply.transactionId(), loaded);
        TransactionCommand command = new TransactionCommand.ReceiveReply(reply.step(), reply.phase(), reply.attempt(), reply.outcome(),
                reply.reason(), clock.instant(), nextRandom());
        Decided decided = decide(reply.transactionId(), loaded, command, message.id().toString());
        Commit.Builder commit = Commit.builder();
        StreamId stream = TransactionStreams.streamOf(reply.transactionId());
        if (decided.events().isEmpty()) {
            // nothing to append, yet the reply is consumed on this state: only if the stream is still at that version
            commit.guard(new StreamGuard(stream, ExpectedVersion.exactly(loaded.version())));
        } else {
            commit.append(stream, ExpectedVersion.exactly(loaded.version()), decided.events());
        }
        if (!decided.events().isEmpty() || !decided.after().status().isFinal()) {
            // untrusted until the inbox reports the commit durable (committed below); a failed commit leaves it to be checked
            cache.put(reply.transactionId(), TransactionCache.Entry.decided(decided.after(), loaded.version(), decided.events(), loaded.claimToken()));
        }
        return commit;
    }

    /** Fires the timers due now; returns how many transactions were visited. */
    public int fireDueTimers() {
        Instant now = clock.instant();
        List<String> due = timers.takeDue(now);
        List<CompletableFuture<Transaction>> pending = new ArrayList<>();
        for (String id : due) {
            if (ownership.owns(id)) {
                pending.add(execute(id, s -> new TransactionCommand.FireDueTimers(now, nextRandom()), 0)
                        .exceptionally(e -> rescheduleAfterFailure(id)));
            }
        }
        pending.forEach(CompletableFuture::join);
        return due.size();
    }

    /** The earliest instant a known timer is due. */
    public Optional<Instant> nextDueAt() {
        return timers.next();
    }

    /**
     * Resumes every live transaction this instance owns: claims it by appending an ownership mark carrying its
     * fencing token with the exact stream version (so a previous owner that was paused mid-decision can no longer
     * append to it, whether it read the stream before the claim or after) and rebuilds
     * its timers. Run at start and after taking over partitions. Commands still in flight are re-published by the
     * outbox relay with their original message ids, and the participants' inboxes and barriers de-duplicate them.
     *
     * <p>It reads the store's log from a recovery checkpoint that it moves up to the oldest unfinished transaction's
     * start, so a restart reads what came after that, not the whole history, and loads only transactions it did not see
     * finish.
     *
     * @return how many live (not final) transactions were resumed
     */
    public int recover() {
        int live = 0;
        TransactionScan.Result scan = TransactionScan.scan(store, name);
        for (String id : scan.candidates()) {
            if (!ownership.owns(id)) {
                continue;
            }
            TransactionStreams.Loaded loaded = streams.load(id);
            long token = ownership.fencingToken(id);
            if (loaded.state() instanceof Transaction tx && !tx.status().isFinal() && token >= loaded.claimToken()) {
                try {
                    store.append(TransactionStreams.streamOf(id), ExpectedVersion.exactly(loaded.version()),
                            List.of(Fence.claim(name, clock.instant(), token, tx.trace().metadata(id, null))));
                } catch (StreamVersionConflict e) {
                    continue; // someone appended since we read: they are alive, leave it to them or to the next recovery
                }
                live++;
                cache.put(id, TransactionCache.Entry.stored(tx, loaded.version() + 1, token));
                timers.schedule(id, loaded.version() + 1, tx.nextDueAt());
            }
        }
        TransactionScan.advance(store, name, scan); // the next recovery reads the log from the oldest unfinished start
        return live;
    }

    /**
     * Refuses to act on a transaction that an owner with a higher fencing token has claimed. The caller's append
     * expects exactly {@code loaded}'s version, so a claim landing after this check makes that append fail.
     */
    private void checkFence(String id, TransactionStreams.Loaded loaded) {
        if (ownership.fencingToken(id) < loaded.claimToken()) {
            throw new NotOwnerException(name, id);
        }
    }

    /** One transaction by id, with its timeline. */
    public Optional<TransactionView> find(String transactionId) {
        InvalidInputException.requireText(transactionId, "transactionId", TransactionDecider.MAX_TRANSACTION_ID);
        TransactionStreams.Loaded loaded = streams.load(transactionId);
        return loaded.state() instanceof Transaction tx
                ? Optional.of(TransactionView.of(tx, loaded.version(), loaded.recorded()))
                : Optional.empty();
    }

    TransactionDecider decider() {
        return decider;
    }

    int liveTimers() {
        return timers.size();
    }

    int cachedTransactions() {
        return cache.size();
    }

    private CompletableFuture<Transaction> execute(String id, Function<TransactionState, TransactionCommand> command, int attempt) {
        return execute(id, command, attempt, false);
    }

    /** @param assumeNew on the first attempt, take a transaction not in the cache to be new instead of reading its stream */
    private CompletableFuture<Transaction> execute(String id, Function<TransactionState, TransactionCommand> command, int attempt,
            boolean assumeNew) {
        if (!ownership.owns(id)) {
            return CompletableFuture.failedFuture(new NotOwnerException(name, id));
        }
        TransactionStreams.Loaded loaded;
        Decided decided;
        try {
            loaded = assumeNew && attempt == 0 ? streams.currentOrNew(id, cache) : streams.current(id, cache);
            checkFence(id, loaded);
            decided = decide(id, loaded, command.apply(loaded.state()), null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (decided.events().isEmpty()) {
            // nothing to do now (e.g. a timer fired before its time, or was set from an older state): the stored
            // state says when to look again
            timers.schedule(id, loaded.version(), decided.after().nextDueAt());
            return CompletableFuture.completedFuture(decided.after());
        }
        ExpectedVersion expected = ExpectedVersion.exactly(loaded.version());
        Commit.Builder commit = Commit.builder().append(TransactionStreams.streamOf(id), expected, decided.events());
        if (loaded.version() == 0) {
            ownership.guard(id).ifPresent(commit::guard); // no claim can fence a new transaction yet: the lease must still be ours
        }
        return store.commitAsync(commit.build())
                .handle((result, error) -> {
                    if (error == null) {
                        Transaction after = decided.after();
                        timers.schedule(id, loaded.version() + decided.events().size(), after.nextDueAt());
                        observeDurable(after, decided.events());
                        if (after.status().isFinal()) {
                            cache.remove(id);
                        } else {
                            cache.put(id, TransactionCache.Entry.stored(after, loaded.version() + decided.events().size(), loaded.claimToken()));
                        }
                        completeWaiters(id, after);
                        return CompletableFuture.completedFuture(after);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    cache.remove(id);
                    // another instance appended first; its events can carry the same deterministic ids (command ids), so
                    // the store may report the race as a duplicate event instead of a version conflict: re-decide either way
                    if ((cause instanceof StreamVersionConflict || cause instanceof DuplicateEventException) && attempt < MAX_CONFLICT_RETRIES) {
                        return execute(id, command, attempt + 1);
                    }
                    if (cause instanceof StreamVersionConflict c && !c.stream().equals(TransactionStreams.streamOf(id))) {
                        return CompletableFuture.<Transaction>failedFuture(new NotOwnerException(name, id)); // the lease moved on
                    }
                    return CompletableFuture.<Transaction>failedFuture(cause);
                })
                .thenCompose(Function.identity());
    }

    private record Decided(List<NewEvent> events, Transaction after) {}

    /** @param causationId the message that caused the decision (a reply), or null (a start, a timer, an operator) */
    private Decided decide(String id, TransactionStreams.Loaded loaded, TransactionCommand command, String causationId) {
        List<TransactionEvent> events = decider.decide(loaded.state(), command);
        TransactionState state = loaded.state();
        List<NewEvent> encoded = new ArrayList<>(events.size());
        for (TransactionEvent e : events) {
            state = decider.evolve(state, e);
            encoded.add(codec.encode(e, id, (Transaction) state, causationId));
        }
        if (!(state instanceof Transaction tx)) {
            throw TransactionRejectedException.notFound(id);
        }
        return new Decided(encoded, tx);
    }

    /**
     * Counts what {@code events}, now durable, did to the transaction ({@link #stats()}), and tells the stuck listener
     * when they moved it to STUCK (not when they only follow it there); the listener's failure is its own, never the
     * decision's.
     */
    private void observeDurable(Transaction tx, List<NewEvent> events) {
        boolean stuck = false;
        boolean settled = false;
        for (NewEvent e : events) {
            TransactionEventCodec.Milestone milestone = TransactionEventCodec.milestone(e);
            stats.record(milestone, tx);
            stuck |= milestone == TransactionEventCodec.Milestone.STUCK;
            settled |= milestone == TransactionEventCodec.Milestone.FINISHED || milestone == TransactionEventCodec.Milestone.STUCK;
        }
        if (stuck && tx.status() == Status.STUCK) {
            alertStuck(tx);
        }
        if (settled && tx.status().isSettled()) {
            traceSettled(tx);
        }
    }

    /** Records the span of a traced transaction that just settled ({@link Tracing#settled}); tracing never fails a decision. */
    private void traceSettled(Transaction tx) {
        try {
            Tracing.settled(new Tracing.Settled(tx.id(), tx.trace(), tx.definition().name(), tx.definition().version(), tx.status().name(),
                    tx.reason(), tx.startedAt(), tx.updatedAt()));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Coordinator.class).warn("recording the span of transaction {} failed", tx.id(), e);
        }
    }

    private void alertStuck(Transaction tx) {
        LogContext logging = LogContext.of(tx.trace(), tx.id());
        try {
            stuckListener.stuck(tx);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Coordinator.class).warn("the stuck listener failed on transaction {}", tx.id(), e);
        } finally {
            logging.close();
        }
    }

    private Transaction rescheduleAfterFailure(String id) {
        timers.retryAt(id, clock.instant().plusMillis(100));
        return null;
    }

    private long nextRandom() {
        synchronized (random) {
            return random.nextLong();
        }
    }
}
