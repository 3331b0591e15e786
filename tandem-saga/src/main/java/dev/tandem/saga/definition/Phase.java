package dev.tandem.saga.definition;

/** Which of a step's operations a command or reply is about. */
public enum Phase {
    /** The forward action of a saga step, or the try of a TCC participant. */
    ACTION,
    /** The compensation of a saga step, or the cancel of a TCC participant. */
    COMPENSATION,
    /** The confirm of a TCC participant. */
    CONFIRM
}
