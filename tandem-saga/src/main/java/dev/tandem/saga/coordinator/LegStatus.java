package dev.tandem.saga.coordinator;

/** The state of one phase (action, compensation or confirm) of one step. */
public enum LegStatus {
    /** Not requested (yet). */
    IDLE,
    /** Requested; the reply or the timeout is awaited. */
    IN_FLIGHT,
    /** Failed transiently; the next attempt is due at the leg's due time. */
    RETRY_WAIT,
    SUCCEEDED,
    /** Business failure or refusal of an action: it had no effect. */
    FAILED,
    /** An action whose reply did not come in time: it counts as failed but may have taken effect. */
    TIMED_OUT,
    /** Attempts used up without success. */
    EXHAUSTED
}
