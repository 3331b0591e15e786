package dev.tandem.saga.engine;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.definition.StepDefinition;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.ProtocolJson;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores coordinator events as JSON: each event type as {@code tandem.saga.<Name>}, except a
 * {@link StepRequested}, which is stored as the routed {@link BranchCommand} itself (the store is the
 * outbox), with the command id as event id so a re-publish keeps the message id.
 */
final class TransactionEventCodec {

    static final String PREFIX = "tandem.saga.";
    private static final Map<String, Class<? extends TransactionEvent>> TYPES = new HashMap<>();

    static {
        for (Class<?> c : TransactionEvent.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends TransactionEvent> type = (Class<? extends TransactionEvent>) c;
            TYPES.put(PREFIX + c.getSimpleName(), type);
        }
    }

    private static final String STUCK = PREFIX + TransactionEvent.Stuck.class.getSimpleName();

    private final String replyTo;

    TransactionEventCodec(String replyTo) {
        this.replyTo = replyTo;
    }

    /** {@code tx} is the state the event applies to (after Started), used to address commands. */
    NewEvent encode(TransactionEvent event, String transactionId, Transaction tx) {
        Metadata meta = new Metadata(transactionId, null, transactionId, Map.of());
        if (event instanceof StepRequested r) {
            StepDefinition step = tx.stepDefinition(r.step());
            BranchCommand command = new BranchCommand(transactionId, tx.definition().id(), r.step(), step.name(), r.phase(),
                    step.operation(r.phase()), r.attempt(), tx.input(), replyTo, r.timeoutAt(), r.at());
            return new NewEvent(r.commandId(), BranchCommand.TYPE, ProtocolJson.encode(command), Json.CONTENT_TYPE, meta,
                    Route.to(step.participant(), transactionId));
        }
        return new NewEvent(NewEvent.newId(), PREFIX + event.getClass().getSimpleName(), ProtocolJson.encode(event), Json.CONTENT_TYPE, meta, null);
    }

    /** Whether {@code e} is the encoding of a {@link TransactionEvent.Stuck}. */
    static boolean isStuck(NewEvent e) {
        return e.type().equals(STUCK);
    }

    /** The coordinator event a stored event stands for, or null for a stored event that is not one (e.g. an ownership claim). */
    static TransactionEvent decode(RecordedEvent e) {
        if (e.type().equals(BranchCommand.TYPE)) {
            BranchCommand c = ProtocolJson.decode(e.payload(), BranchCommand.class);
            return new StepRequested(c.step(), c.phase(), c.attempt(), e.id(), c.timeoutAt(), c.at());
        }
        Class<? extends TransactionEvent> type = TYPES.get(e.type());
        return type == null ? null : ProtocolJson.decode(e.payload(), type);
    }
}
