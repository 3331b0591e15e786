package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/** A stream's folded state as of {@code version}, so loading need not replay from version 1. */
public record Snapshot(StreamId stream, long version, String type, byte[] state) {

    public Snapshot {
        InvalidInputException.requireNonNull(stream, "snapshot.stream");
        if (version < 1) {
            throw InvalidInputException.of("snapshot.version", "must be at least 1, was " + version);
        }
        InvalidInputException.requireText(type, "snapshot.type", NewEvent.MAX_TYPE_LENGTH);
        InvalidInputException.requireNonNull(state, "snapshot.state");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && stream.equals(s.stream) && version == s.version && type.equals(s.type) && Arrays.equals(state, s.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, version, type);
    }
}
