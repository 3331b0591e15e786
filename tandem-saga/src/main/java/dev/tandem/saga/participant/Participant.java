package dev.tandem.saga.participant;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.eventstore.support.CommittedStates;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.inbox.CommitAwareHandler;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.BranchReply;
import dev.tandem.saga.protocol.ProtocolJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A participant service's handler for branch commands: applies the {@link Barrier} in the same atomic commit as
 * the business writes and the reply.
 *
 * <p>Per branch, the barrier stream {@code barrier-<participant>-<transaction>-<step>} holds one event per
 * answered command (each is also the routed reply). It is appended with the exact version read, so two
 * concurrent commands for one branch cannot both pass the barrier: the loser's commit fails with a version
 * conflict and the inbox re-runs it on fresh state.
 *
 * <p>Each barrier state this participant committed is kept ({@link CommittedStates}), so a confirm or cancel is
 * decided on it without reading the branch's barrier stream, and a branch's first command takes its (new) stream as
 * empty; the barrier append expects the exact version either way. Listeners registered with
 * {@link Builder#afterCommit} learn of each durable handling commit the same way, e.g. to keep their own states.
 *
 * <pre>{@code
 * Participant bankA = Participant.builder("bank-a", store)
 *         .on("debit", ctx -> BranchResult.succeeded(accounts.debit(ctx.input(Transfer.class))))
 *         .on("refund", ctx -> BranchResult.succeeded(accounts.refund(ctx.input(Transfer.class))))
 *         .build();
 * transport.consume("bank-a", "bank-a", inbox(bankA));   // a MessageHandler
 * }</pre>
 */
public final class Participant implements CommitAwareHandler {

    private static final int PAGE = 100;
    private static final int MAX_KNOWN_BARRIERS = 100_000;

    private final String name;
    private final EventStore store;
    private final Map<String, BranchHandler> handlers;
    private final List<Consumer<Commit>> afterCommit;
    private final List<Consumer<Commit>> afterFailedCommit;
    private final CommittedStates<BarrierState> barriers = new CommittedStates<>(MAX_KNOWN_BARRIERS);

    private Participant(String name, EventStore store, Map<String, BranchHandler> handlers, List<Consumer<Commit>> afterCommit,
            List<Consumer<Commit>> afterFailedCommit) {
        this.name = name;
        this.store = store;
        this.handlers = Map.copyOf(handlers);
        this.afterCommit = List.copyOf(afterCommit);
        this.afterFailedCommit = List.copyOf(afterFailedCommit);
    }

    public static Builder builder(String name, EventStore store) {
        return new Builder(name, store);
    }

    public String name() {
        return name;
    }

    @Override
    public Commit.Builder handle(Message message) throws Exception {
        if (!message.type().equals(BranchCommand.TYPE)) {
            throw new NonTransientException("participant " + name + " cannot handle message type " + message.type() + " of " + message.id());
        }
        BranchCommand command = ProtocolJson.decode(message.payload(), BranchCommand.class);
        BranchHandler handler = handlers.get(command.operation());
        if (handler == null) {
            throw new NonTransientException("participant " + name + " has no handler for operation " + command.operation()
                    + " (known: " + handlers.keySet() + ")");
        }
        StreamId stream = barrierStream(command.transactionId(), command.step());
        // the reply and the handler's events carry the transaction's trace context, caused by this command
        Metadata meta = TraceContext.of(message.headers()).metadata(command.transactionId(), message.id().toString());
        // the barrier append below expects the exact version, so the state may come from what this participant committed
        // (and, for a branch's first command, from nothing: its barrier stream is new by construction) without a read
        CommittedStates.Versioned<BarrierState> loaded = command.phase() == Phase.ACTION
                ? barriers.currentOrNew(store, stream, BarrierState.EMPTY, PAGE, Participant::fold)
                : barriers.current(store, stream, BarrierState.EMPTY, PAGE, Participant::fold);
        BarrierState state = loaded.state();
        long version = loaded.version();
        BarrierEvent event;
        List<StreamWrite> writes = List.of();
        switch (Barrier.decide(state, command.phase())) {
            case BarrierDecision.Answer a -> event = a.event();
            case BarrierDecision.Execute x -> {
                BranchResult result = handler.handle(new BranchContext(command, message, meta));
                event = Barrier.recordOutcome(command.phase(), result.outcome(), result.reason());
                writes = event.carriesEffects() ? result.writes() : List.of();
            }
        }
        NewEvent reply = new NewEvent(NewEvent.newId(), BranchReply.TYPE,
                ProtocolJson.encode(BarrierRecord.of(event, command.transactionId(), command.step(), command.attempt())),
                Json.CONTENT_TYPE, meta, Route.to(command.replyTo(), command.transactionId()));
        Commit.Builder commit = Commit.builder();
        writes.forEach(commit::append);
        commit.append(stream, ExpectedVersion.exactly(version), List.of(reply));
        barriers.expect(stream, reply.id(), Barrier.evolve(state, event), version + 1);
        return commit;
    }

    /**
     * The barrier de-duplicates branch commands: a command's commit appends to its branch's barrier stream at the exact
     * version its decision was made on, and a repeated command is answered from the barrier without running the
     * handler again. So the inbox need not record them.
     */
    @Override
    public boolean deduplicates(Message message) {
        return message.type().equals(BranchCommand.TYPE);
    }

    @Override
    public void committed(Message message, Commit commit) {
        barriers.committed(commit);
        for (Consumer<Commit> listener : afterCommit) {
            listener.accept(commit);
        }
    }

    @Override
    public void notCommitted(Message message, Commit attempted) {
        barriers.abandoned(attempted);
        for (Consumer<Commit> listener : afterFailedCommit) {
            listener.accept(attempted);
        }
    }

    private static BarrierState fold(BarrierState state, RecordedEvent e) {
        return Barrier.evolve(state, ProtocolJson.decode(e.payload(), BarrierRecord.class).event());
    }

    /** The barrier stream of one branch of this participant. */
    public StreamId barrierStream(String transactionId, int step) {
        return StreamId.of("barrier-" + name + "-" + transactionId + "-" + step);
    }

    /** The barrier state of one branch, for inspection and tests. */
    public BarrierState barrierState(String transactionId, int step) {
        BarrierState state = BarrierState.EMPTY;
        for (RecordedEvent e : readAll(barrierStream(transactionId, step))) {
            state = Barrier.evolve(state, e.payloadAs(BarrierRecord.class).event());
        }
        return state;
    }

    private List<RecordedEvent> readAll(StreamId stream) {
        List<RecordedEvent> all = new ArrayList<>();
        while (true) {
            List<RecordedEvent> page = store.readStream(stream, all.size() + 1L, ReadDirection.FORWARD, PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
        }
    }

    /** Registers one handler per operation name. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final Map<String, BranchHandler> handlers = new HashMap<>();
        private final List<Consumer<Commit>> afterCommit = new ArrayList<>();
        private final List<Consumer<Commit>> afterFailedCommit = new ArrayList<>();

        private Builder(String name, EventStore store) {
            this.name = InvalidInputException.requireText(name, "participant.name", 60);
            this.store = InvalidInputException.requireNonNull(store, "store");
        }

        /** Handles operation {@code operation} (an action, compensation, try, confirm or cancel name of a definition). */
        public Builder on(String operation, BranchHandler handler) {
            InvalidInputException.requireText(operation, "operation", 100);
            InvalidInputException.requireNonNull(handler, "handler[" + operation + "]");
            if (handlers.putIfAbsent(operation, handler) != null) {
                throw InvalidInputException.of("operation", operation + " already has a handler in participant " + name);
            }
            return this;
        }

        /**
         * Tells {@code listener} of every durable handling commit (business writes and the barrier record, which is the
         * reply), on the inbox's thread; it must be quick and must not fail the commit it is told of.
         */
        public Builder afterCommit(Consumer<Commit> listener) {
            afterCommit.add(InvalidInputException.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Tells {@code listener} of every handling commit that failed (a conflict, a duplicate, a store failure), on the
         * inbox's thread, so what it expected of the commit can be dropped; quick, and must not fail.
         */
        public Builder afterFailedCommit(Consumer<Commit> listener) {
            afterFailedCommit.add(InvalidInputException.requireNonNull(listener, "listener"));
            return this;
        }

        public Participant build() {
            if (handlers.isEmpty()) {
                throw InvalidInputException.of("participant.handlers", "participant " + name + " has no operations");
            }
            return new Participant(name, store, handlers, afterCommit, afterFailedCommit);
        }
    }
}
