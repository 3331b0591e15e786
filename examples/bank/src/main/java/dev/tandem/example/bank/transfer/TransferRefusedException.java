package dev.tandem.example.bank.transfer;

import dev.tandem.core.NonTransientException;
import dev.tandem.example.bank.account.Refusal;

/** A transfer request that cannot start at all (same account, non-positive amount, a key reused for another transfer). */
public final class TransferRefusedException extends NonTransientException {

    private final Refusal refusal;

    public TransferRefusedException(Refusal refusal) {
        super(refusal.toString());
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
