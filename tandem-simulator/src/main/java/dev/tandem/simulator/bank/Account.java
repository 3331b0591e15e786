package dev.tandem.simulator.bank;

/**
 * An account's state after its latest ledger entry.
 *
 * @param balance the money the account holds
 * @param reserved the part of the balance set aside by TCC tries (not available)
 * @param incoming credits registered by TCC tries, not yet part of the balance
 * @param version the account stream's version
 */
public record Account(long balance, long reserved, long incoming, long version) {

    static final Account NONE = new Account(0, 0, 0, 0);

    public long available() {
        return balance - reserved;
    }

    /** The state after {@code kind} of {@code amount}. */
    Account apply(EntryKind kind, long amount) {
        return switch (kind) {
            case OPENED, CREDITED, REFUNDED -> with(balance + amount, reserved, incoming);
            case DEBITED, REVERSED -> with(balance - amount, reserved, incoming);
            case RESERVED -> with(balance, reserved + amount, incoming);
            case SETTLED -> with(balance - amount, reserved - amount, incoming);
            case RELEASED -> with(balance, reserved - amount, incoming);
            case CREDIT_PENDING -> with(balance, reserved, incoming + amount);
            case PENDING_APPLIED -> with(balance + amount, reserved, incoming - amount);
            case PENDING_DROPPED -> with(balance, reserved, incoming - amount);
        };
    }

    private Account with(long newBalance, long newReserved, long newIncoming) {
        return new Account(newBalance, newReserved, newIncoming, version + 1);
    }

    boolean anyNegative() {
        return balance < 0 || reserved < 0 || incoming < 0 || available() < 0;
    }
}
