package dev.tandem.saga.participant;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.ReplyOutcome;

/** A fact in a branch's barrier stream; every one of them is also the reply sent for the command that caused it. */
public sealed interface BarrierEvent {

    Phase phase();

    ReplyOutcome outcome();

    /** The reply's reason, or null. */
    String reason();

    /** Whether the handler's business writes belong in the same commit (false: only the barrier and the reply). */
    boolean carriesEffects();

    /** The action ran; {@code outcome} is SUCCEEDED or FAILED (business). */
    record ActionRecorded(ReplyOutcome outcome, String reason) implements BarrierEvent {
        public Phase phase() {
            return Phase.ACTION;
        }

        public boolean carriesEffects() {
            return true;
        }
    }

    /** The action came after its compensation and was refused, so it can never hang. */
    record ActionRefused() implements BarrierEvent {
        public Phase phase() {
            return Phase.ACTION;
        }

        public ReplyOutcome outcome() {
            return ReplyOutcome.REFUSED;
        }

        public String reason() {
            return "refused: the branch was compensated before its action arrived";
        }

        public boolean carriesEffects() {
            return false;
        }
    }

    /** The compensation (or cancel) is done; {@code nullCompensation} when there was no action to undo. */
    record CompensationRecorded(boolean nullCompensation) implements BarrierEvent {
        public Phase phase() {
            return Phase.COMPENSATION;
        }

        public ReplyOutcome outcome() {
            return ReplyOutcome.SUCCEEDED;
        }

        public String reason() {
            return nullCompensation ? "null compensation: no action to undo" : null;
        }

        public boolean carriesEffects() {
            return !nullCompensation;
        }
    }

    /** The TCC confirm is done. */
    record ConfirmRecorded() implements BarrierEvent {
        public Phase phase() {
            return Phase.CONFIRM;
        }

        public ReplyOutcome outcome() {
            return ReplyOutcome.SUCCEEDED;
        }

        public String reason() {
            return null;
        }

        public boolean carriesEffects() {
            return true;
        }
    }

    /** A reply that changes nothing: a repeat of an earlier answer, a transient failure, or a refused confirm. */
    record Replied(Phase phase, ReplyOutcome outcome, String reason) implements BarrierEvent {
        public boolean carriesEffects() {
            return false;
        }
    }
}
