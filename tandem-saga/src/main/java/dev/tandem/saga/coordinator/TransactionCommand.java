package dev.tandem.saga.coordinator;

import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.time.Instant;

/**
 * An input to the {@link TransactionDecider}. Time ({@code now}) and randomness ({@code random}, a seed
 * for backoff jitter) are part of the input so the decider stays a pure function.
 */
public sealed interface TransactionCommand {

    Instant now();

    /**
     * Starts {@code transactionId} with the latest version of {@code definition}; idempotent for the same input. The
     * caller's {@code trace} (correlation id, W3C trace context) goes with every event and message of the transaction; it
     * is not part of the input: a repeated start with another trace finds the transaction as it started.
     */
    record Start(String transactionId, String definition, String input, Instant now, TraceContext trace) implements TransactionCommand {

        public Start {
            trace = trace == null ? TraceContext.NONE : trace;
        }

        /** A start without a caller's trace. */
        public Start(String transactionId, String definition, String input, Instant now) {
            this(transactionId, definition, input, now, TraceContext.NONE);
        }
    }

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
