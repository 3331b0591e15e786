package dev.tandem.eventstore;

import dev.tandem.core.NonTransientException;
import java.util.UUID;

/** An event id is already stored with other content or at another place; nothing of the commit was written. */
public final class DuplicateEventException extends NonTransientException {

    private final UUID eventId;

    private DuplicateEventException(UUID eventId, String message) {
        super(message);
        this.eventId = eventId;
    }

    public static DuplicateEventException differentContent(UUID id, StreamId stream, long version) {
        return new DuplicateEventException(id, "event " + id + " is already stored at " + stream + "@" + version + " with different content");
    }

    public static DuplicateEventException elsewhere(UUID id, StreamId storedStream, long storedVersion, StreamId requestedStream) {
        return new DuplicateEventException(id, "event " + id + " is already stored at " + storedStream + "@" + storedVersion
                + ", not where it was appended now (" + requestedStream + ")");
    }

    public UUID eventId() {
        return eventId;
    }
}
