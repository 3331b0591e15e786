/**
 * The pure coordinator: {@link dev.tandem.saga.coordinator.TransactionDecider} turns a transaction's state and a
 * command into events, and folds events into state, with no I/O, clock or randomness of its own.
 */
package dev.tandem.saga.coordinator;
