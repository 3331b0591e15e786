package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import java.util.UUID;

/**
 * One transfer a client issued, as the client saw it (after resolving timeouts by querying).
 *
 * @param invokedNanos monotonic time the request was (or, open loop, should have been) sent
 * @param completedNanos monotonic time the client learnt the outcome; {@link Long#MAX_VALUE} when it never did during the run
 * @param outcome the terminal outcome, or {@code PENDING} when even the final query did not find one
 * @param timedOut whether the client's request timed out ("unknown") and the outcome came from a query
 * @param traceparent the W3C trace context the client sent with it (every effect of the transfer must carry it), or null
 */
public record IssuedTransfer(UUID id, AccountRef from, AccountRef to, long amount, long invokedNanos, long completedNanos,
                             TransferOutcome outcome, boolean timedOut, String traceparent) {

    /** A transfer issued without a trace context. */
    public IssuedTransfer(UUID id, AccountRef from, AccountRef to, long amount, long invokedNanos, long completedNanos,
                          TransferOutcome outcome, boolean timedOut) {
        this(id, from, to, amount, invokedNanos, completedNanos, outcome, timedOut, null);
    }

    public IssuedTransfer withOutcome(TransferOutcome resolved) {
        return new IssuedTransfer(id, from, to, amount, invokedNanos, completedNanos, resolved, timedOut, traceparent);
    }
}
