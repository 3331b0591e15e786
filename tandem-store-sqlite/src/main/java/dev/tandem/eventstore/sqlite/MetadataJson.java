package dev.tandem.eventstore.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata as JSON text, {@code {"correlationId":…,"causationId":…,"transactionId":…,"headers":{…}}} with absent
 * parts left out, through Jackson's streaming API on the shared {@link Json} factory.
 *
 * <p>Streaming rather than data binding because every stored and every read event passes through here:
 * it is several times cheaper, and the text stays plain JSON any tool (or {@code Json.mapper()}) can read.
 */
final class MetadataJson {

    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private MetadataJson() {}

    static String write(Metadata m) {
        String plain = writePlain(m);
        return plain != null ? plain : writeEscaped(m);
    }

    /**
     * The text Jackson writes, built directly when no value needs escaping (the common case: ids, no headers): a
     * generator per event was ~7% of the e2e bench's Java samples. Null when there are headers or an id holds a quote
     * or a backslash; ids never hold control characters ({@link Metadata} refuses them), and Jackson writes every other
     * character as it is.
     */
    static String writePlain(Metadata m) {
        String correlation = m.correlationId();
        String causation = m.causationId();
        String transaction = m.transactionId();
        if (!m.headers().isEmpty() || !plain(correlation) || !plain(causation) || !plain(transaction)) {
            return null;
        }
        StringBuilder b = new StringBuilder(64 + length(correlation) + length(causation) + length(transaction)).append('{');
        appendField(b, "correlationId", correlation);
        appendField(b, "causationId", causation);
        appendField(b, "transactionId", transaction);
        return b.append('}').toString();
    }

    private static void appendField(StringBuilder b, String field, String value) {
        if (value != null) {
            (b.length() > 1 ? b.append(",\"") : b.append('"')).append(field).append("\":\"").append(value).append('"');
        }
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    /** Whether {@code value} (free of control characters) needs no escape in JSON: no quote, no backslash. */
    private static boolean plain(String value) {
        return value == null || (value.indexOf('"') < 0 && value.indexOf('\\') < 0);
    }

    /** Through Jackson's generator, which escapes what must be. */
    static String writeEscaped(Metadata m) {
        StringWriter out = new StringWriter(256); // ids and a few headers fit without growing it
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            writeOptional(g, "correlationId", m.correlationId());
            writeOptional(g, "causationId", m.causationId());
            writeOptional(g, "transactionId", m.transactionId());
            if (!m.headers().isEmpty()) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> h : m.headers().entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing metadata to a string failed", e);
        }
        return out.toString();
    }

    private static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    static Metadata read(String json) {
        String correlation = null;
        String causation = null;
        String transaction = null;
        Map<String, String> headers = Map.of();
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, json);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "correlationId" -> correlation = p.getValueAsString();
                    case "causationId" -> causation = p.getValueAsString();
                    case "transactionId" -> transaction = p.getValueAsString();
                    case "headers" -> headers = value == JsonToken.START_OBJECT ? headers(p, json) : Map.of();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IncompatibleSchemaException("stored metadata is not valid JSON: " + json, e);
        }
        return new Metadata(correlation, causation, transaction, headers);
    }

    private static Map<String, String> headers(JsonParser p, String json) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            expect(p.nextToken(), JsonToken.VALUE_STRING, json);
            headers.put(key, p.getText());
        }
        return headers;
    }

    private static void expect(JsonToken actual, JsonToken expected, String json) {
        if (actual != expected) {
            throw new IncompatibleSchemaException("stored metadata is not a JSON object of the expected shape: " + json);
        }
    }
}
