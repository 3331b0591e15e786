package dev.tandem.saga.coordinator;

/** Where a transaction is; {@code COMMITTED} and {@code COMPENSATED} are final, {@code STUCK} waits for an operator. */
public enum Status {
    /** Forward phase: saga actions or TCC tries are running. */
    RUNNING,
    /** TCC only: every try succeeded, confirms are running. */
    CONFIRMING,
    /** A step failed or the deadline passed: completed steps are being undone (TCC: cancelled). */
    COMPENSATING,
    COMMITTED,
    COMPENSATED,
    /** A compensation, confirm or cancel kept failing past its policy; an operator must retry or resolve. */
    STUCK;

    /** Whether nothing will ever happen to the transaction again. */
    public boolean isFinal() {
        return this == COMMITTED || this == COMPENSATED;
    }

    /** Whether the transaction has reached an end state: final, or stuck waiting for an operator. */
    public boolean isSettled() {
        return isFinal() || this == STUCK;
    }
}
