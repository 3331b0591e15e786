package dev.tandem.example.bank.account;

/**
 * Why a command was refused; a refusal never changes an account.
 *
 * @param reason the machine-readable cause
 * @param detail what was wrong, with the state seen
 */
public record Refusal(Reason reason, String detail) {

    /** The causes a bank refuses a command for. */
    public enum Reason {
        INSUFFICIENT_FUNDS,
        UNKNOWN_ACCOUNT,
        ACCOUNT_CLOSED,
        ACCOUNT_EXISTS,
        ACCOUNT_NOT_EMPTY,
        SAME_ACCOUNT,
        INVALID_AMOUNT,
        AMOUNT_OVERFLOW,
        CURRENCY_MISMATCH,
        /** A late try or action arrived after its cancel or compensation was recorded (no hanging). */
        TRANSFER_CANCELLED,
        /** A confirm or cancel names a transfer the account has no matching step for. */
        UNKNOWN_TRANSFER,
        /** An idempotency key already names a different transfer. */
        IDEMPOTENCY_KEY_REUSED
    }

    public static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, detail);
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
