package dev.tandem.saga.participant;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.participant.BarrierEvent.ActionRecorded;
import dev.tandem.saga.participant.BarrierEvent.ActionRefused;
import dev.tandem.saga.participant.BarrierEvent.CompensationRecorded;
import dev.tandem.saga.participant.BarrierEvent.ConfirmRecorded;
import dev.tandem.saga.participant.BarrierEvent.Replied;
import dev.tandem.saga.protocol.ReplyOutcome;

/**
 * The stored form of a barrier event: a {@link dev.tandem.saga.protocol.BranchReply} (same fields, so the coordinator
 * decodes it as one) plus the barrier mark.
 */
record BarrierRecord(String transactionId, int step, Phase phase, int attempt, ReplyOutcome outcome, String reason, String mark) {

    static BarrierRecord of(BarrierEvent event, String transactionId, int step, int attempt) {
        String mark = switch (event) {
            case ActionRecorded a -> "ACTION";
            case ActionRefused r -> "REFUSED";
            case CompensationRecorded c -> c.nullCompensation() ? "NULL_COMPENSATION" : "COMPENSATION";
            case ConfirmRecorded c -> "CONFIRM";
            case Replied r -> "REPLY";
        };
        return new BarrierRecord(transactionId, step, event.phase(), attempt, event.outcome(), event.reason(), mark);
    }

    BarrierEvent event() {
        return switch (mark) {
            case "ACTION" -> new ActionRecorded(outcome, reason);
            case "REFUSED" -> new ActionRefused();
            case "NULL_COMPENSATION" -> new CompensationRecorded(true);
            case "COMPENSATION" -> new CompensationRecorded(false);
            case "CONFIRM" -> new ConfirmRecorded();
            default -> new Replied(phase, outcome, reason);
        };
    }
}
