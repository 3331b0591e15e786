package dev.tandem.example.bank.verify;

import java.util.UUID;

/**
 * A change a transfer made to an account's balance, as read from the account's history.
 *
 * @param amount minor units, positive
 */
public record Effect(UUID transfer, Kind kind, long amount, String traceparent) {

    /** An effect whose event carried no trace context. */
    public Effect(UUID transfer, Kind kind, long amount) {
        this(transfer, kind, amount, null);
    }

    /** This effect, as recorded by an event that carried {@code traceparent} (or none, null). */
    public Effect tracedBy(String traceparent) {
        return new Effect(transfer, kind, amount, traceparent);
    }


    /** What the change did. */
    public enum Kind {
        /** Money left the account (a settled reservation or a saga debit). */
        DEBIT,
        /** A debit was given back (saga compensation). */
        REFUND,
        /** Money arrived (a confirmed credit or a saga credit). */
        CREDIT,
        /** A saga credit was taken back (its transfer was compensated after the credit landed). */
        CREDIT_REVERSAL
    }
}
