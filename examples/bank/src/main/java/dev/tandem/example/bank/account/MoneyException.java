package dev.tandem.example.bank.account;

import dev.tandem.core.NonTransientException;

/** Arithmetic on {@link Money} that has no exact answer: an overflow or two currencies. */
public final class MoneyException extends NonTransientException {

    private final Refusal.Reason reason;

    private MoneyException(Refusal.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the arithmetic was refused: {@code AMOUNT_OVERFLOW} or {@code CURRENCY_MISMATCH}. */
    public Refusal.Reason reason() {
        return reason;
    }

    static MoneyException overflow(Money a, String op, Money b) {
        return new MoneyException(Refusal.Reason.AMOUNT_OVERFLOW, a + " " + op + " " + b + " does not fit in a long of minor units");
    }

    static MoneyException currencyMismatch(Money a, Money b) {
        return new MoneyException(Refusal.Reason.CURRENCY_MISMATCH, "cannot combine " + a + " with " + b);
    }
}
