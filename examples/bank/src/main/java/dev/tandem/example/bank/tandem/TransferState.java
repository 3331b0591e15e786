package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A transfer as the coordinator's transaction records it.
 *
 * @param status the engine's status (RUNNING, COMPENSATING, COMMITTED, COMPENSATED, STUCK, ...)
 * @param reason why it was compensated (the refusal or failure that made it undo), or null
 * @param correlationId the caller's correlation id it started with, or null
 * @param traceparent the W3C trace context it started with (every event and message of the transfer carries it), or null
 * @param timeline every event of the transaction's stream, in order
 */
public record TransferState(UUID id, TransferOutcome outcome, String status, String reason, AccountRef from, AccountRef to, long amount,
        String currency, TransferMode mode, String correlationId, String traceparent, List<Entry> timeline) {

    /** One recorded event of the transaction: its type and when it was committed. */
    public record Entry(String type, Instant at, long version) {}
}
