package dev.tandem.messaging;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.core.json.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * What crosses a service boundary.
 *
 * <p>A message is an outbox event published: its id is the event's id (stable across redelivery),
 * its sequence the event's global position in the sender's store (strictly increasing per
 * destination partition), its timestamp the event's.
 *
 * @param id unique and stable across redelivery; the inbox de-duplicates on it
 * @param source the sending service
 * @param destination the receiving service or topic
 * @param partitionKey messages with the same key are delivered in sequence order
 * @param sequence strictly increasing per (source, destination, partition key)
 * @param timestamp when the sender committed it
 * @param type what the payload is, e.g. {@code ReserveFunds}
 * @param contentType the payload's media type
 * @param payload the content
 * @param headers correlation, causation, transaction and trace context
 */
public record Message(
        UUID id,
        String source,
        String destination,
        String partitionKey,
        long sequence,
        Instant timestamp,
        String type,
        String contentType,
        byte[] payload,
        Metadata headers) {

    /** W3C trace context header name. */
    public static final String TRACEPARENT = "traceparent";

    public Message {
        InvalidInputException.requireNonNull(id, "message.id");
        InvalidInputException.requireText(source, "message.source", 200);
        InvalidInputException.requireText(destination, "message.destination", 200);
        InvalidInputException.requireText(partitionKey, "message.partitionKey", 200);
        if (sequence < 0) {
            throw InvalidInputException.negative("message.sequence", sequence);
        }
        InvalidInputException.requireNonNull(timestamp, "message.timestamp");
        InvalidInputException.requireText(type, "message.type", 200);
        InvalidInputException.requireText(contentType, "message.contentType", 100);
        InvalidInputException.requireNonNull(payload, "message.payload");
        InvalidInputException.requireNonNull(headers, "message.headers");
    }

    /** The message an outbox event stands for; {@code event} must carry a route. */
    public static Message fromOutbox(String source, RecordedEvent event) {
        if (event.route() == null) {
            throw InvalidInputException.of("event", event + " has no route, so it is not an outgoing message");
        }
        return new Message(event.id(), source, event.route().destination(), event.route().partitionKey(), event.position(),
                event.timestamp(), event.type(), event.contentType(), event.payload(), event.metadata());
    }

    /** The W3C {@code traceparent} header, or null. */
    public String traceparent() {
        return headers.headers().get(TRACEPARENT);
    }

    /** Decodes the JSON payload as {@code payloadType}. */
    public <T> T payloadAs(Class<T> payloadType) {
        return Json.decode(payload, payloadType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && id.equals(m.id)
                && source.equals(m.source)
                && destination.equals(m.destination)
                && partitionKey.equals(m.partitionKey)
                && sequence == m.sequence
                && timestamp.equals(m.timestamp)
                && type.equals(m.type)
                && contentType.equals(m.contentType)
                && Arrays.equals(payload, m.payload)
                && headers.equals(m.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sequence);
    }

    @Override
    public String toString() {
        return "Message[" + type + " " + id + " " + source + "->" + destination + "/" + partitionKey + " #" + sequence + "]";
    }
}
