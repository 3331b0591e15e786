package dev.tandem.saga.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.Rfc3339;
import dev.tandem.core.json.Json;
import java.io.IOException;
import java.time.Instant;

/**
 * The JSON codec of the engine's hot path (commands, replies, coordinator and barrier events): {@link Json}'s mapper and
 * documents, with readers and writers prepared per type and instants parsed by {@link Rfc3339} rather than
 * {@code DateTimeFormatter}, which dominated the cost of a decision (Json itself prints them with Rfc3339). Anything
 * outside the common instant form falls back to the standard parser.
 */
public final class ProtocolJson {

    private static final ObjectMapper MAPPER = Json.mapper().copy().registerModule(new SimpleModule("tandem-fast-instant")
            .addDeserializer(Instant.class, new InstantReader()));

    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return MAPPER.writerFor(type);
        }
    };

    private ProtocolJson() {}

    /** As {@link Json#encode}. */
    public static byte[] encode(Object value) {
        InvalidInputException.requireNonNull(value, "value");
        try {
            return WRITERS.get(value.getClass()).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.of("value", "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** As {@link Json#decode}: malformed input raises {@link InvalidInputException} for field {@code payload}. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return READERS.get(type).readValue(bytes);
        } catch (IOException e) {
            throw InvalidInputException.of("payload", "is not a valid " + type.getSimpleName() + " JSON document: " + e.getMessage());
        }
    }

    private static final class InstantReader extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = Rfc3339.parseUtc(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctx);
        }
    }
}
