package dev.tandem.saga.protocol;

/** How a participant answered a branch command. */
public enum ReplyOutcome {
    /** The operation took effect (or had already, for a duplicate). */
    SUCCEEDED,
    /** A business refusal (e.g. insufficient funds): the operation had no effect and will not have one. */
    FAILED,
    /** A transient problem: nothing took effect, the same command may succeed later. */
    RETRYABLE,
    /** The barrier refused a late action because its compensation already happened: no effect. */
    REFUSED
}
