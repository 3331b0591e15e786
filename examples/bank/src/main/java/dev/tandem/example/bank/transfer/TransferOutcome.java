package dev.tandem.example.bank.transfer;

/** Where a transfer ended, or that it has not ended yet. */
public enum TransferOutcome {
    /** Still running. */
    PENDING,
    /** Done everywhere: the money moved. */
    COMMITTED,
    /** Undone everywhere: no money moved (refused, or compensated after a failed step). */
    COMPENSATED;

    public boolean isTerminal() {
        return this != PENDING;
    }
}
