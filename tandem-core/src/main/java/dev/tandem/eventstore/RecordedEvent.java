package dev.tandem.eventstore;

import dev.tandem.core.json.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as stored: what was appended plus its place (stream version, global position) and timestamp.
 *
 * @param position store-wide, strictly increasing in commit order (not necessarily gapless)
 * @param version position within its stream: 1, 2, 3… without gaps
 * @param timestamp when the store committed it, from the store's injected clock
 */
public record RecordedEvent(
        UUID id,
        StreamId stream,
        long version,
        long position,
        String type,
        byte[] payload,
        String contentType,
        Metadata metadata,
        Route route,
        Instant timestamp) {

    /** Whether this stored event carries exactly the content of {@code event} (same id, type, payload, metadata, route). */
    public boolean sameContentAs(NewEvent event) {
        return id.equals(event.id())
                && type.equals(event.type())
                && Arrays.equals(payload, event.payload())
                && contentType.equals(event.contentType())
                && metadata.equals(event.metadata())
                && Objects.equals(route, event.route());
    }

    /** Decodes the JSON payload as {@code payloadType}. */
    public <T> T payloadAs(Class<T> payloadType) {
        return Json.decode(payload, payloadType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedEvent e
                && id.equals(e.id)
                && stream.equals(e.stream)
                && version == e.version
                && position == e.position
                && type.equals(e.type)
                && Arrays.equals(payload, e.payload)
                && contentType.equals(e.contentType)
                && metadata.equals(e.metadata)
                && Objects.equals(route, e.route)
                && timestamp.equals(e.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, stream, version, position);
    }

    @Override
    public String toString() {
        return "RecordedEvent[" + stream + "@" + version + " #" + position + " " + type + " " + id + "]";
    }
}
