package dev.tandem.simulator.bank;

/**
 * One stored ledger entry of an account (event type {@link #TYPE}); carries the state after it, so history can be audited.
 *
 * @param transactionId the transfer that caused it, or null for {@link EntryKind#OPENED}
 */
public record LedgerEntry(String transactionId, EntryKind kind, long amount, long balance, long reserved, long incoming) {

    public static final String TYPE = "bank.LedgerEntry";
}
