package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/**
 * The id of one event stream (one aggregate: an account, a transaction).
 *
 * @param value non-blank, at most {@link #MAX_LENGTH} characters, no control characters
 */
public record StreamId(String value) implements Comparable<StreamId> {

    public static final int MAX_LENGTH = 200;

    public StreamId {
        InvalidInputException.requireText(value, "streamId", MAX_LENGTH);
    }

    public static StreamId of(String value) {
        return new StreamId(value);
    }

    /** A stream id made of a category and an id within it, e.g. {@code account-42}. */
    public static StreamId of(String category, Object id) {
        return new StreamId(category + "-" + id);
    }

    @Override
    public int compareTo(StreamId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
