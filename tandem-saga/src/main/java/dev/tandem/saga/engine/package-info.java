/**
 * The drivers around the pure deciders: the coordinator (transaction streams, outbox commands, inbox replies,
 * timers, recovery, ownership, queries) and the participant message handler that applies the barrier.
 */
package dev.tandem.saga.engine;
