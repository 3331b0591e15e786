/**
 * The event store: append-only streams of events with a store-wide order, atomic multi-part commits
 * (events, inbox records, checkpoints), reads, subscriptions and snapshots.
 */
package dev.tandem.eventstore;
