package dev.tandem.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JacksonStdImpl;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.Rfc3339;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** Tandem's JSON codec: one shared Jackson mapper, {@code Instant}s as ISO-8601 UTC strings. */
public final class Json {

    public static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // Property access through generated lambdas instead of reflection: the engine encodes and decodes every
            // command, reply and event it handles.
            .addModule(new BlackbirdModule())
            .addModule(new SimpleModule("tandem-standard-writers")
                    .addSerializer(Instant.class, new TextWriter<>(Instant.class, Rfc3339::formatUtc))
                    .addSerializer(UUID.class, new TextWriter<>(UUID.class, UUID::toString)))
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

    /**
     * A value written as the JSON string {@code text} makes of it. Used for instants and UUIDs with the same text as
     * JavaTimeModule's and databind's writers (Instant.toString(), UUID.toString()), but marked as a standard
     * implementation: Blackbird reads a property through its generated accessor only when the property's serializer is
     * one of Jackson's own, and through reflection (Method.invoke on every call) otherwise, which was the case for every
     * instant and every UUID in every record Tandem writes.
     */
    @JacksonStdImpl
    private static final class TextWriter<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;

        private final transient Function<T, String> text;

        TextWriter(Class<T> type, Function<T, String> text) {
            super(type);
            this.text = text;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(text.apply(value));
        }
    }
}
