package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.messaging.TraceContext;
import java.time.Duration;
import java.util.UUID;

/** How the load generator reaches the bank: in process or over HTTP. */
public interface TransferClient {

    /**
     * Starts {@code request} and waits up to {@code timeout} for its outcome.
     *
     * @return the terminal outcome, or {@code PENDING} when the wait timed out (the outcome is then unknown, not failed)
     */
    default TransferOutcome transfer(TransferRequest request, Duration timeout) throws Exception {
        return transfer(request, TraceContext.NONE, timeout);
    }

    /** As {@link #transfer(TransferRequest, Duration)}, on behalf of a caller with {@code trace}, which the transfer then carries. */
    TransferOutcome transfer(TransferRequest request, TraceContext trace, Duration timeout) throws Exception;

    /** The current outcome of transfer {@code id}; {@code PENDING} while it runs or when it is unknown. */
    TransferOutcome query(UUID id) throws Exception;
}
