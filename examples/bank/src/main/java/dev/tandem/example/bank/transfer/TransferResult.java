package dev.tandem.example.bank.transfer;

import java.util.UUID;

/**
 * Where a transfer stands.
 *
 * @param reason why it was compensated, or null
 */
public record TransferResult(UUID id, TransferOutcome outcome, String reason) {}
