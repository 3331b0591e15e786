package dev.tandem.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.tandem.core.InvalidInputException;
import java.io.IOException;

/** Tandem's JSON codec: one shared Jackson mapper, {@code Instant}s as ISO-8601 UTC strings. */
public final class Json {

    public static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // Property access through generated lambdas instead of reflection: the engine encodes and decodes every
            // command, reply and event it handles.
            .addModule(new BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    /** The shared, configured mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.of("value", "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Decodes {@code bytes} as {@code type}; malformed input raises {@link InvalidInputException}. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw InvalidInputException.of("payload", "is not a valid " + type.getSimpleName() + " JSON document: " + e.getMessage());
        }
    }
}
