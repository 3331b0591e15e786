package dev.tandem.saga.participant;

/** What the barrier knows of a branch's action (or try). */
public enum ActionState {
    /** Not seen yet. */
    NONE,
    /** Executed with success. */
    SUCCEEDED,
    /** Executed with a business failure: no effect. */
    FAILED,
    /** Arrived after its compensation and was refused: never executed. */
    REFUSED
}
