package dev.tandem.saga.coordinator;

/** A transaction's state as folded from its events: not started yet, or a {@link Transaction}. */
public sealed interface TransactionState permits TransactionState.NotStarted, Transaction {

    /** No event yet. */
    record NotStarted() implements TransactionState {}

    NotStarted NOT_STARTED = new NotStarted();
}
