package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TimeOrderedUuids;
import dev.tandem.core.json.Json;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its id, type, payload and metadata; the store adds version, position and timestamp.
 *
 * <p>With a {@link Route} the event is also an outgoing message (the store is the outbox).
 *
 * @param id unique across the store; appending the same id again at the same place is a no-op
 * @param type what happened, e.g. {@code FundsReserved}
 * @param payload the event's content, bytes in {@code contentType}
 * @param contentType the payload's media type, {@code application/json} by default
 * @param metadata correlation, causation, transaction and headers
 * @param route where to publish it as a message, or null for a plain event
 */
public record NewEvent(UUID id, String type, byte[] payload, String contentType, Metadata metadata, Route route) {

    public static final int MAX_TYPE_LENGTH = 200;
    private static final TimeOrderedUuids IDS = TimeOrderedUuids.system();

    public NewEvent {
        InvalidInputException.requireNonNull(id, "event.id");
        InvalidInputException.requireText(type, "event.type", MAX_TYPE_LENGTH);
        InvalidInputException.requireNonNull(payload, "event.payload");
        InvalidInputException.requireText(contentType, "event.contentType", 100);
        InvalidInputException.requireNonNull(metadata, "event.metadata");
    }

    /** A JSON event with a fresh time-ordered id and no metadata. */
    public static NewEvent json(String type, Object payload) {
        return new NewEvent(IDS.next(), type, Json.encode(payload), Json.CONTENT_TYPE, Metadata.EMPTY, null);
    }

    /** A JSON event with the given id. */
    public static NewEvent json(UUID id, String type, Object payload) {
        return new NewEvent(id, type, Json.encode(payload), Json.CONTENT_TYPE, Metadata.EMPTY, null);
    }

    /** A fresh time-ordered event id. */
    public static UUID newId() {
        return IDS.next();
    }

    public NewEvent withMetadata(Metadata newMetadata) {
        return new NewEvent(id, type, payload, contentType, newMetadata, route);
    }

    public NewEvent withRoute(Route newRoute) {
        return new NewEvent(id, type, payload, contentType, metadata, newRoute);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewEvent e
                && id.equals(e.id)
                && type.equals(e.type)
                && Arrays.equals(payload, e.payload)
                && contentType.equals(e.contentType)
                && metadata.equals(e.metadata)
                && Objects.equals(route, e.route);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, Arrays.hashCode(payload), contentType, metadata, route);
    }

    @Override
    public String toString() {
        return "NewEvent[" + id + " " + type + " " + payload.length + "B" + (route == null ? "" : " -> " + route.destination()) + "]";
    }
}
