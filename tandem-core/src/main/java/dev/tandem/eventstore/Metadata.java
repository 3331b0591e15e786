package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is known about why an event happened: correlation, causation, the distributed transaction
 * it belongs to, and free headers (such as W3C {@code traceparent}).
 *
 * @param correlationId the id shared by everything one request caused, or null
 * @param causationId the id of the event or message that caused this one, or null
 * @param transactionId the distributed transaction this event belongs to, or null
 * @param headers free headers; never null, sorted by key
 */
public record Metadata(String correlationId, String causationId, String transactionId, Map<String, String> headers) {

    public static final Metadata EMPTY = new Metadata(null, null, null, Map.of());
    public static final int MAX_HEADER_LENGTH = 8 * 1024;

    public Metadata {
        checkOptional(correlationId, "metadata.correlationId");
        checkOptional(causationId, "metadata.causationId");
        checkOptional(transactionId, "metadata.transactionId");
        InvalidInputException.requireNonNull(headers, "metadata.headers");
        headers = headers.isEmpty() ? Map.of() : checkedCopy(headers);
    }

    private static Map<String, String> checkedCopy(Map<String, String> headers) {
        TreeMap<String, String> copy = new TreeMap<>();
        headers.forEach((k, v) -> {
            InvalidInputException.requireText(k, "metadata.headers key", 200);
            InvalidInputException.requireNonNull(v, "metadata.headers[" + k + "]");
            if (v.length() > MAX_HEADER_LENGTH) {
                throw InvalidInputException.tooLong("metadata.headers[" + k + "]", v.length(), MAX_HEADER_LENGTH);
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void checkOptional(String value, String field) {
        if (value != null) {
            InvalidInputException.requireText(value, field, 200);
        }
    }

    public Metadata withCorrelationId(String id) {
        return new Metadata(id, causationId, transactionId, headers);
    }

    public Metadata withCausationId(String id) {
        return new Metadata(correlationId, id, transactionId, headers);
    }

    public Metadata withTransactionId(String id) {
        return new Metadata(correlationId, causationId, id, headers);
    }

    public Metadata withHeader(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(headers);
        copy.put(key, value);
        return new Metadata(correlationId, causationId, transactionId, copy);
    }
}
