package dev.tandem.messaging.kafka;

import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test messages: {@code count} messages spread over {@code keys} partition keys, sequence per key. */
final class Messages {

    private Messages() {}

    static Message message(String destination, String key, long sequence) {
        return new Message(UUID.randomUUID(), "test-source", destination, key, sequence,
                Instant.parse("2026-11-25T06:00:00Z").plusMillis(sequence), "Ping", "application/json",
                ("{\"key\":\"" + key + "\",\"n\":" + sequence + "}").getBytes(StandardCharsets.UTF_8),
                Metadata.EMPTY.withCorrelationId("corr-" + key));
    }

    /** Messages round-robin over keys {@code key-0..key-(keys-1)}; per key the sequence counts 0, 1, 2, ... from {@code first}. */
    static List<Message> batch(String destination, int keys, int count, long first) {
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(message(destination, "key-" + (i % keys), first + i / keys));
        }
        return messages;
    }
}
