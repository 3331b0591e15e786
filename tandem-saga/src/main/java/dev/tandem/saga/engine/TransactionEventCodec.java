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

    /** What a stored event means for the coordinator's figures. */
    enum Milestone { STARTED, FINISHED, STUCK, OPERATOR_RETRIED, OPERATOR_RESOLVED, NONE }

    private static final Map<String, Milestone> MILESTONES = Map.of(
            PREFIX + TransactionEvent.Started.class.getSimpleName(), Milestone.STARTED,
            PREFIX + TransactionEvent.Committed.class.getSimpleName(), Milestone.FINISHED,
            PREFIX + TransactionEvent.Compensated.class.getSimpleName(), Milestone.FINISHED,
            PREFIX + TransactionEvent.Stuck.class.getSimpleName(), Milestone.STUCK,
            PREFIX + TransactionEvent.OperatorRetried.class.getSimpleName(), Milestone.OPERATOR_RETRIED,
            PREFIX + TransactionEvent.OperatorResolved.class.getSimpleName(), Milestone.OPERATOR_RESOLVED);

    private final String replyTo;

    TransactionEventCodec(String replyTo) {
        this.replyTo = replyTo;
    }

    /**
     * {@code tx} is the state the event applies to (after Started), used to address commands; every event carries its
     * trace context, and {@code causationId} (the reply that caused it, or null).
     */
    NewEvent encode(TransactionEvent event, String transactionId, Transaction tx, String causationId) {
        Metadata meta = tx.trace().metadata(transactionId, causationId);
        if (event instanceof StepRequested r) {
            StepDefinition step = tx.stepDefinition(r.step());
            BranchCommand command = new BranchCommand(transactionId, tx.definition().id(), r.step(), step.name(), r.phase(),
                    step.operation(r.phase()), r.attempt(), tx.input(), replyTo, r.timeoutAt(), r.at());
            return new NewEvent(r.commandId(), BranchCommand.TYPE, ProtocolJson.encode(command), Json.CONTENT_TYPE, meta,
                    Route.to(step.participant(), transactionId));
        }
        return new NewEvent(NewEvent.newId(), PREFIX + event.getClass().getSimpleName(), ProtocolJson.encode(event), Json.CONTENT_TYPE, meta, null);
    }

    /** What {@code e}, an event this codec encoded, means for the coordinator's figures. */
    static Milestone milestone(NewEvent e) {
        return MILESTONES.getOrDefault(e.type(), Milestone.NONE);
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
