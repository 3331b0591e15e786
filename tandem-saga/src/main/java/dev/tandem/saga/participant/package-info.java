/**
 * The participant side: the pure {@link dev.tandem.saga.participant.Barrier} that makes every branch operation safe to
 * repeat or reorder, and the handler API and message handler that apply it in the participant's own atomic append.
 */
package dev.tandem.saga.participant;
