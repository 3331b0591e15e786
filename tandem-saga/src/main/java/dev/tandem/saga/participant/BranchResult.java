package dev.tandem.saga.participant;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.util.List;

/**
 * A participant handler's answer: the outcome and the business writes that go into the same atomic commit as the
 * barrier record and the reply. Writes of a {@link #retryLater} result are never applied.
 */
public record BranchResult(ReplyOutcome outcome, String reason, List<StreamWrite> writes) {

    public BranchResult {
        InvalidInputException.requireNonNull(outcome, "outcome");
        writes = List.copyOf(InvalidInputException.requireNonNull(writes, "writes"));
    }

    /** The operation took effect through {@code writes}. */
    public static BranchResult succeeded(StreamWrite... writes) {
        return new BranchResult(ReplyOutcome.SUCCEEDED, null, List.of(writes));
    }

    /** A business refusal; for an action the refusal is final and its {@code writes} (e.g. a rejection event) are kept. */
    public static BranchResult failed(String reason, StreamWrite... writes) {
        return new BranchResult(ReplyOutcome.FAILED, InvalidInputException.requireText(reason, "reason", 2000), List.of(writes));
    }

    /** A transient problem: nothing is written, the coordinator retries after a backoff. */
    public static BranchResult retryLater(String reason) {
        return new BranchResult(ReplyOutcome.RETRYABLE, InvalidInputException.requireText(reason, "reason", 2000), List.of());
    }
}
