/**
 * Event-sourced aggregates over an event store: {@link dev.tandem.eventstore.aggregate.AggregateStreams} keeps one
 * kind of aggregate (one stream each, events as JSON under their record's name), folds a stream into state, and
 * writes a decider's {@link dev.tandem.eventstore.aggregate.Decision} guarded by the version it read, alone or as
 * part of a participant's commit.
 */
package dev.tandem.eventstore.aggregate;
