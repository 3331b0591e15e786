package dev.tandem.eventstore;

/**
 * Where one stream write landed.
 *
 * @param lastVersion the stream's version after the write (use it as the next expected version)
 * @param firstPosition global position of the write's first event
 * @param lastPosition global position of the write's last event
 * @param written false when the write was an idempotent repeat and nothing new was stored
 */
public record AppendResult(StreamId stream, long firstVersion, long lastVersion, long firstPosition, long lastPosition, boolean written) {}
