package dev.tandem.example.bank.account;

import dev.tandem.core.NonTransientException;

/**
 * A command or transfer the bank refuses with a typed reason: an account command its decider refused, or a
 * transfer that cannot start at all (same account, non-positive amount, unknown bank, a key reused for another transfer).
 */
public final class RefusedException extends NonTransientException {

    private final Refusal refusal;

    public RefusedException(Refusal refusal) {
        super(refusal.toString());
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
