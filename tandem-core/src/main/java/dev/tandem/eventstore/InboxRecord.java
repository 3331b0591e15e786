package dev.tandem.eventstore;

import java.time.Instant;
import java.util.UUID;

/** A stored inbox entry: {@code consumer} handled {@code messageId} at {@code recordedAt}, answering {@code result}. */
public record InboxRecord(String consumer, UUID messageId, byte[] result, Instant recordedAt) {}
