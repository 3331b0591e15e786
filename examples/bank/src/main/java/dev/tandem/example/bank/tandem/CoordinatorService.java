package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.EventStore;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.account.RefusedException;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import dev.tandem.example.bank.verify.TransferClient;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.coordinator.TransactionRejectedException;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.CoordinatorNode;
import dev.tandem.saga.engine.TransactionQueries;
import dev.tandem.saga.engine.TransactionView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The transfer coordinator as a service of its own: the saga engine's {@link Coordinator} over the coordinator's
 * store, its timer driver, and a messaging node that relays the commands to the banks and feeds their replies
 * back, over any transport (in-process in one JVM, Kafka between processes). Unfinished transfers are resumed
 * when it starts.
 */
public final class CoordinatorService implements TransferClient, AutoCloseable {

    /** The coordinator's destination and service name. */
    public static final String NAME = "coordinator";

    private final List<String> banks;
    private final EventStore store;
    private final CoordinatorNode engine;
    private final Coordinator coordinator;
    private final List<Throwable> timerErrors = new CopyOnWriteArrayList<>();
    private final TransferWatch watch;
    private final TransactionQueries queries;

    private CoordinatorService(EventStore store, Transport transport, List<String> banks, InstantSource clock, CoordinatorNode.Leadership leadership) {
        this.banks = List.copyOf(banks);
        this.store = store;
        DefinitionRegistry registry = TransferDefinitions.registry(this.banks);
        CoordinatorNode.Builder node = CoordinatorNode.builder(NAME, store, transport, registry).clock(clock).timerErrors(timerErrors::add);
        if (leadership != null) {
            node.leadership(leadership);
        }
        engine = node.start();
        coordinator = engine.coordinator();
        try {
            watch = new TransferWatch(coordinator);
            queries = new TransactionQueries(store, registry, clock);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Starts the coordinator of transfers among {@code banks} over {@code store} (which the caller closes after
     * this service) and {@code transport}; resumes every unfinished transfer.
     */
    public static CoordinatorService start(EventStore store, Transport transport, List<String> banks, InstantSource clock) {
        return start(store, transport, banks, clock, null);
    }

    /**
     * As {@link #start(EventStore, Transport, List, InstantSource)}, as one of several instances of the coordinator on
     * one shared store when {@code leadership} is not null: the instance that holds the lease drives the transfers, the
     * others stand by (they answer reads, and refuse to start transfers with {@link StandingByException}) and one of
     * them takes over when the leader dies or stalls.
     */
    public static CoordinatorService start(EventStore store, Transport transport, List<String> banks, InstantSource clock,
            CoordinatorNode.Leadership leadership) {
        InvalidInputException.requireNonNull(store, "store");
        InvalidInputException.requireNonNull(transport, "transport");
        InvalidInputException.requireNonNull(banks, "banks");
        InvalidInputException.requireNonNull(clock, "clock");
        if (banks.isEmpty()) {
            throw InvalidInputException.of("banks", "must name at least one bank");
        }
        banks.forEach(b -> AccountRef.requireName(b, "bank"));
        return new CoordinatorService(store, transport, banks, clock, leadership);
    }

    /** How many unfinished transfers were resumed at start (with leadership: when this instance last took the lead). */
    public int resumed() {
        return engine.resumed();
    }

    /** Whether this instance drives the transfers now (a single instance always does) or stands by. */
    public CoordinatorNode.Role role() {
        return engine.role();
    }

    /** With leadership: this instance's name and the leading instance's, as the store has it now. */
    public Optional<String> instance() {
        return engine.instance();
    }

    /** The leading instance's name, when this is one of several and one leads. */
    public Optional<String> leader() {
        return engine.leader();
    }

    /** The coordinator's store (the caller's; shared by the instances of a leadership group). */
    public EventStore store() {
        return store;
    }

    public List<String> banks() {
        return banks;
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    /** Transfers by status and age, for operators (a projection of the store, caught up at each query). */
    public TransactionQueries queries() {
        return queries;
    }

    /**
     * The coordinator's messaging node (its outbox relay and reply inbox), e.g. for its parked messages; null while this
     * instance stands by, and a new one each time it takes the lead.
     */
    public ServiceNode node() {
        return engine.messaging();
    }

    /** Failures the timer driver reported (for tests and diagnostics). */
    public List<Throwable> timerErrors() {
        return List.copyOf(timerErrors);
    }

    /**
     * Starts {@code request}, or joins it when its idempotency key was seen before; the future completes with its
     * outcome once the transaction is final.
     *
     * @throws RefusedException for a transfer that cannot start: same account, non-positive amount, unknown bank
     * @throws StandingByException on an instance that stands by while another leads
     */
    public CompletableFuture<TransferResult> start(TransferRequest request) {
        return start(request, TraceContext.NONE);
    }

    /**
     * As {@link #start(TransferRequest)}, on behalf of a caller whose correlation id and W3C trace context every event and
     * message of the transfer carries (in the coordinator's and both banks' stores, and on the wire).
     */
    public CompletableFuture<TransferResult> start(TransferRequest request, TraceContext trace) {
        InvalidInputException.requireNonNull(request, "request");
        InvalidInputException.requireNonNull(trace, "trace");
        if (request.from().equals(request.to())) {
            throw new RefusedException(Refusal.of(Refusal.Reason.SAME_ACCOUNT, "cannot transfer from " + request.from() + " to itself"));
        }
        if (request.amount().minor() <= 0) {
            throw new RefusedException(Refusal.of(Refusal.Reason.INVALID_AMOUNT, "the amount must be positive, was " + request.amount()));
        }
        for (AccountRef account : List.of(request.from(), request.to())) {
            if (!banks.contains(account.bank())) {
                throw new RefusedException(Refusal.of(Refusal.Reason.UNKNOWN_ACCOUNT, "no bank named " + account.bank() + "; known: " + banks));
            }
        }
        if (engine.role() != CoordinatorNode.Role.LEADING) {
            throw new StandingByException(engine.instance().orElse(NAME), engine.leader());
        }
        UUID transfer = request.transferId();
        String id = transfer.toString();
        String definition = TransferDefinitions.name(request.mode(), request.from().bank(), request.to().bank());
        // Tracked only once the start is accepted: a refused start (a key reused for another transfer) must not
        // be answered with the outcome of the transfer that already holds the key.
        CompletableFuture<TransferOutcome> outcome = coordinator
                .startAsync(id, definition, new String(Json.encode(TransferInput.of(request)), StandardCharsets.UTF_8), trace)
                .handle((tx, failure) -> failure == null ? watch.track(id) : CompletableFuture.<TransferOutcome>failedFuture(refusal(unwrap(failure))))
                .thenCompose(f -> f);
        return outcome.thenApply(o -> new TransferResult(transfer, o, o == TransferOutcome.COMPENSATED ? reason(id) : null));
    }

    private String reason(String id) {
        return coordinator.find(id).map(TransactionView::reason).orElse(null);
    }

    private static Throwable refusal(Throwable failure) {
        return failure instanceof TransactionRejectedException r && r.reason() == TransactionRejectedException.Reason.CONFLICTING_START
                ? new RefusedException(Refusal.of(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, r.getMessage()))
                : failure;
    }

    /** The transfer's state and timeline, if a transfer has that id. */
    public Optional<TransferState> find(UUID id) {
        InvalidInputException.requireNonNull(id, "id");
        Optional<TransactionView> found = coordinator.find(id.toString());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        TransactionView view = found.get();
        TransferInput input = Json.decode(view.input().getBytes(StandardCharsets.UTF_8), TransferInput.class);
        List<TransferState.Entry> timeline = new ArrayList<>();
        for (TransactionView.TimelineEntry e : view.timeline()) {
            timeline.add(new TransferState.Entry(e.type(), e.recordedAt(), e.version()));
        }
        return Optional.of(new TransferState(id, TransferWatch.outcome(view.status()), view.status().name(), view.reason(),
                input.from(), input.to(), input.amount(), input.currency(), input.mode(), view.trace().correlationId(), view.trace().traceparent(),
                List.copyOf(timeline)));
    }

    @Override
    public TransferOutcome transfer(TransferRequest request, TraceContext trace, Duration timeout) throws Exception {
        try {
            return start(request, trace).get(timeout.toMillis(), TimeUnit.MILLISECONDS).outcome();
        } catch (TimeoutException e) {
            return TransferOutcome.PENDING;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public TransferOutcome query(UUID id) {
        return coordinator.find(id.toString()).map(v -> TransferWatch.outcome(v.status())).orElse(TransferOutcome.PENDING);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException || t instanceof ExecutionException ? (t.getCause() == null ? t : t.getCause()) : t;
    }

    /** Stops the timer driver and the messaging node; the store and the transport are the caller's. */
    @Override
    public void close() {
        watch.close();
        engine.close();
    }
}
