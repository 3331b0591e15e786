package dev.tandem.saga.coordinator;

import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.definition.Phase;
import java.time.Instant;
import java.util.UUID;

/** What happened to a transaction; its stream is the sequence of these, and its state their fold. */
public sealed interface TransactionEvent {

    /** When the coordinator decided it (from the command's injected time). */
    Instant at();

    /**
     * The transaction began with {@code definition@version} and {@code input}; its deadline is scheduled with it.
     * {@code trace} is the caller's context, null when it gave none (and in events stored before it was recorded).
     */
    record Started(String transactionId, String definition, int version, String input, Instant deadline, Instant at,
            TraceContext trace) implements TransactionEvent {}

    /** A command for {@code phase} of {@code step} was sent; the attempt times out at {@code timeoutAt}. */
    record StepRequested(int step, Phase phase, int attempt, UUID commandId, Instant timeoutAt, Instant at)
            implements TransactionEvent {}

    record StepSucceeded(int step, int attempt, Instant at) implements TransactionEvent {}

    /** The action failed for a business reason (or was refused by the barrier): it had no effect. */
    record StepFailed(int step, int attempt, String reason, Instant at) implements TransactionEvent {}

    /** No reply to the action in time: the step counts as failed, and is compensated as it may have taken effect. */
    record StepTimedOut(int step, int attempt, Instant at) implements TransactionEvent {}

    record StepCompensated(int step, int attempt, Instant at) implements TransactionEvent {}

    record StepConfirmed(int step, int attempt, Instant at) implements TransactionEvent {}

    /** Attempt {@code attempt} of {@code phase} failed transiently; the next attempt is due at {@code dueAt}. */
    record RetryScheduled(int step, Phase phase, int attempt, String reason, Instant dueAt, Instant at)
            implements TransactionEvent {}

    record RetriesExhausted(int step, Phase phase, int attempt, String reason, Instant at) implements TransactionEvent {}

    /** The global deadline passed during the forward phase. */
    record DeadlineFired(Instant at) implements TransactionEvent {}

    record CompensationStarted(String reason, Instant at) implements TransactionEvent {}

    record ConfirmationStarted(Instant at) implements TransactionEvent {}

    record Committed(Instant at) implements TransactionEvent {}

    record Compensated(Instant at) implements TransactionEvent {}

    /** {@code phase} of {@code step} kept failing: the transaction waits for an operator. */
    record Stuck(int step, Phase phase, String reason, Instant at) implements TransactionEvent {}

    /** An operator gave the failing phase a fresh budget of attempts (audited). */
    record OperatorRetried(String operator, String reason, Instant at) implements TransactionEvent {}

    /** An operator declared the stuck transaction finished with {@code resolution} after repairing it by hand (audited). */
    record OperatorResolved(String operator, Status resolution, String reason, Instant at) implements TransactionEvent {}
}
