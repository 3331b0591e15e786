package dev.tandem.messaging.deadletter;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.messaging.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The events of a dead-letter stream and their JSON payloads. */
final class DeadLetterEvents {

    static final String PARKED = "MessageParked";
    static final String REPLAYED = "DeadLetterReplayed";
    static final String REPLAY_FAILED = "DeadLetterReplayFailed";
    static final String DISCARDED = "DeadLetterDiscarded";

    private DeadLetterEvents() {}

    /** A message as stored in a {@code MessageParked} event. */
    record StoredMessage(UUID id, String source, String destination, String partitionKey, long sequence, Instant timestamp,
            String type, String contentType, byte[] payload, String correlationId, String causationId, String transactionId,
            Map<String, String> headers) {

        static StoredMessage of(Message m) {
            Metadata h = m.headers();
            return new StoredMessage(m.id(), m.source(), m.destination(), m.partitionKey(), m.sequence(), m.timestamp(), m.type(),
                    m.contentType(), m.payload(), h.correlationId(), h.causationId(), h.transactionId(), h.headers());
        }

        Message toMessage() {
            return new Message(id, source, destination, partitionKey, sequence, timestamp, type, contentType, payload,
                    new Metadata(correlationId, causationId, transactionId, headers == null ? Map.of() : headers));
        }
    }

    record Parked(StoredMessage message, DeadLetterReason reason, int attempts, String lastError) {}

    record Replayed(UUID messageId) {}

    record ReplayFailed(UUID messageId, String error) {}

    record Discarded(UUID messageId, String note) {}

    /** The parked event for {@code letter}; its id depends only on owner and message, so parking twice is refused. */
    static NewEvent parked(String owner, DeadLetter letter) {
        UUID id = UUID.nameUUIDFromBytes((owner + "|parked|" + letter.message().id()).getBytes(StandardCharsets.UTF_8));
        Parked p = new Parked(StoredMessage.of(letter.message()), letter.reason(), letter.attempts(), letter.lastError());
        return NewEvent.json(id, PARKED, p).withMetadata(causedBy(letter.message()));
    }

    static NewEvent replayed(UUID messageId) {
        return NewEvent.json(REPLAYED, new Replayed(messageId));
    }

    static NewEvent replayFailed(UUID messageId, String error) {
        return NewEvent.json(REPLAY_FAILED, new ReplayFailed(messageId, error));
    }

    static NewEvent discarded(UUID messageId, String note) {
        return NewEvent.json(DISCARDED, new Discarded(messageId, note));
    }

    private static Metadata causedBy(Message m) {
        return new Metadata(m.headers().correlationId(), m.id().toString(), m.headers().transactionId(), Map.of());
    }

    static <T> T decode(byte[] payload, Class<T> type) {
        return Json.decode(payload, type);
    }
}
