package dev.tandem.saga.coordinator;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.time.Instant;

/**
 * An input to the {@link TransactionDecider}. Time ({@code now}) and randomness ({@code random}, a seed
 * for backoff jitter) are part of the input so the decider stays a pure function.
 */
public sealed interface TransactionCommand {

    Instant now();

    /** Starts {@code transactionId} with the latest version of {@code definition}; idempotent for the same input. */
    record Start(String transactionId, String definition, String input, Instant now) implements TransactionCommand {}

    /** A participant's reply to attempt {@code attempt} of {@code phase} of {@code step}. */
    record ReceiveReply(int step, Phase phase, int attempt, ReplyOutcome outcome, String reason, Instant now, long random)
            implements TransactionCommand {}

    /** Time has come to {@code now}: fire every timer (timeout, retry, deadline) due by then. */
    record FireDueTimers(Instant now, long random) implements TransactionCommand {}

    /** Operator: give a stuck transaction's failing phase a fresh budget of attempts. */
    record OperatorRetry(String operator, String reason, Instant now) implements TransactionCommand {}

    /** Operator: declare a stuck transaction COMMITTED or COMPENSATED after a manual repair. */
    record OperatorResolve(String operator, Status resolution, String reason, Instant now) implements TransactionCommand {}
}
