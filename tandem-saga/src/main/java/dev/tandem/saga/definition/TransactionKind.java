package dev.tandem.saga.definition;

/** The protocol a transaction follows. */
public enum TransactionKind {
    /** Ordered steps, each an action with a compensation; a failure undoes the completed steps in reverse order. */
    SAGA,
    /** Try on every participant; confirm all when every try succeeded, else cancel all that may have tried. */
    TCC
}
