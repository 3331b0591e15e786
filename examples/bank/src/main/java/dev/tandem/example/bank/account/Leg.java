package dev.tandem.example.bank.account;

/**
 * One transfer's step on one account: where it stands and the amount involved.
 *
 * @param state how far the step got
 * @param amount minor units held, announced, moved or refunded
 */
public record Leg(State state, long amount) {

    /** Where a transfer's step on an account stands. */
    public enum State {
        RESERVED,
        SETTLED,
        RELEASED,
        CREDIT_PENDING,
        CREDIT_CONFIRMED,
        CREDIT_CANCELLED,
        DEBITED,
        REFUNDED,
        CREDITED,
        CREDIT_REVERSED,
        CANCELLED_BEFORE_TRY
    }
}
