package dev.tandem.messaging.kafka;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.Rfc3339;
import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Maps a {@link Message} to a Kafka record and back, following the CloudEvents Kafka protocol
 * binding in binary content mode (see {@code docs/wire-format.md}).
 *
 * <p>Attributes travel as {@code ce_*} headers (UTF-8), the payload is the record value unchanged,
 * the partition key is the record key. Free headers of the message travel as
 * {@code tandem.header.<name>}; W3C {@code traceparent} and {@code tracestate} as the Distributed Tracing extension's
 * {@code ce_traceparent} and {@code ce_tracestate}, and also as the plain W3C headers that Kafka tracing
 * instrumentations read.
 */
public final class CloudEventsKafkaCodec {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SEQUENCE = "ce_sequence";
    public static final String PARTITION_KEY = "ce_partitionkey";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String TRANSACTION_ID = "ce_transactionid";
    public static final String TRACEPARENT = "ce_traceparent";
    public static final String TRACESTATE = "ce_tracestate";
    public static final String CONTENT_TYPE = "content-type";
    public static final String PLAIN_TRACEPARENT = "traceparent";
    public static final String PLAIN_TRACESTATE = "tracestate";
    public static final String FREE_HEADER_PREFIX = "tandem.header.";
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private static final byte[] VERSION_1_0 = utf8("1.0");
    private static final int SEQUENCE_DIGITS = 19;

    private CloudEventsKafkaCodec() {}

    /** The record that carries {@code message} on {@code topic}. */
    public static ProducerRecord<byte[], byte[]> encode(String topic, Message message) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SPEC_VERSION, VERSION_1_0);
        headers.add(ID, utf8(message.id().toString()));
        headers.add(SOURCE, utf8(message.source()));
        headers.add(TYPE, utf8(message.type()));
        headers.add(TIME, utf8(Rfc3339.formatUtc(message.timestamp())));
        headers.add(SEQUENCE, utf8(paddedSequence(message.sequence())));
        headers.add(PARTITION_KEY, utf8(message.partitionKey()));
        headers.add(CONTENT_TYPE, utf8(message.contentType()));
        Metadata metadata = message.headers();
        addOptional(headers, CORRELATION_ID, metadata.correlationId());
        addOptional(headers, CAUSATION_ID, metadata.causationId());
        addOptional(headers, TRANSACTION_ID, metadata.transactionId());
        metadata.headers().forEach((name, value) -> {
            if (name.equals(Message.TRACEPARENT)) {
                headers.add(TRACEPARENT, utf8(value));
                headers.add(PLAIN_TRACEPARENT, utf8(value));
            } else if (name.equals(TraceContext.TRACESTATE)) {
                headers.add(TRACESTATE, utf8(value));
                headers.add(PLAIN_TRACESTATE, utf8(value));
            } else {
                headers.add(FREE_HEADER_PREFIX + name, utf8(value));
            }
        });
        return new ProducerRecord<>(topic, null, message.timestamp().toEpochMilli(), utf8(message.partitionKey()),
                message.payload(), headers);
    }

    /**
     * The message {@code record} carries for {@code destination}.
     *
     * <p>One pass over the headers; a header that appears more than once counts with its last value.
     *
     * @throws UndecodableRecordException when a required header is missing or any header is malformed
     */
    public static Message decode(String destination, ConsumerRecord<byte[], byte[]> record) {
        String version = null;
        String id = null;
        String source = null;
        String type = null;
        String time = null;
        String sequenceText = null;
        String partitionKey = null;
        String contentType = null;
        String correlationId = null;
        String causationId = null;
        String transactionId = null;
        String traceparent = null;
        String plainTraceparent = null;
        String tracestate = null;
        String plainTracestate = null;
        Map<String, String> free = null;
        for (Header header : record.headers()) {
            String name = header.key();
            byte[] value = header.value(); // read as text only when the header is one of ours: others may be binary
            switch (name) {
                case SPEC_VERSION -> version = text(name, value);
                case ID -> id = text(name, value);
                case SOURCE -> source = text(name, value);
                case TYPE -> type = text(name, value);
                case TIME -> time = text(name, value);
                case SEQUENCE -> sequenceText = text(name, value);
                case PARTITION_KEY -> partitionKey = text(name, value);
                case CONTENT_TYPE -> contentType = text(name, value);
                case CORRELATION_ID -> correlationId = text(name, value);
                case CAUSATION_ID -> causationId = text(name, value);
                case TRANSACTION_ID -> transactionId = text(name, value);
                case TRACEPARENT -> traceparent = text(name, value);
                case PLAIN_TRACEPARENT -> plainTraceparent = text(name, value);
                case TRACESTATE -> tracestate = text(name, value);
                case PLAIN_TRACESTATE -> plainTracestate = text(name, value);
                default -> {
                    if (name.startsWith(FREE_HEADER_PREFIX)) {
                        if (free == null) {
                            free = new TreeMap<>();
                        }
                        String key = name.substring(FREE_HEADER_PREFIX.length());
                        if (value == null) {
                            free.remove(key); // a last occurrence without value counts as absent, as for every header
                        } else {
                            free.put(key, text(name, value));
                        }
                    }
                }
            }
        }
        if (!"1.0".equals(required(SPEC_VERSION, version))) {
            throw UndecodableRecordException.malformed(SPEC_VERSION, "'" + version + "' is not the supported version 1.0");
        }
        UUID messageId = parseId(required(ID, id));
        required(SOURCE, source);
        required(TYPE, type);
        Instant timestamp = time == null ? Instant.ofEpochMilli(record.timestamp()) : parseTime(time);
        long sequence = sequenceText == null ? record.offset() : parseSequence(sequenceText);
        if (partitionKey == null) {
            if (record.key() == null) {
                throw UndecodableRecordException.malformed(PARTITION_KEY, "is missing and the record has no key");
            }
            partitionKey = text(PARTITION_KEY, record.key());
        }
        if (traceparent == null) {
            traceparent = plainTraceparent;
        }
        if (tracestate == null) {
            tracestate = plainTracestate;
        }
        if (traceparent != null || tracestate != null) {
            if (free == null) {
                free = new TreeMap<>();
            }
            if (traceparent != null) {
                free.put(Message.TRACEPARENT, traceparent);
            }
            if (tracestate != null) {
                free.put(TraceContext.TRACESTATE, tracestate);
            }
        }
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        try {
            Metadata metadata = new Metadata(correlationId, causationId, transactionId, free == null ? Map.of() : free);
            return new Message(messageId, source, destination, partitionKey, sequence, timestamp, type,
                    contentType == null ? DEFAULT_CONTENT_TYPE : contentType, payload, metadata);
        } catch (InvalidInputException e) {
            throw UndecodableRecordException.malformed(e.field(), e.getMessage());
        }
    }

    /** The encoded size of {@code record} as the broker will count it, close enough for a limit check. */
    static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 2;
        }
        return size;
    }

    /** The sequence as 19 zero-padded digits, so that it orders lexicographically as CloudEvents asks. */
    static String paddedSequence(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw UndecodableRecordException.malformed(ID, "'" + id + "' is not a UUID");
        }
    }

    private static Instant parseTime(String time) {
        Instant utc = Rfc3339.parseUtc(time); // what Tandem writes, without the general parser's cost
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw UndecodableRecordException.malformed(TIME, "'" + time + "' is not an RFC 3339 timestamp");
        }
    }

    private static long parseSequence(String sequence) {
        int length = sequence.length();
        boolean digits = length >= 1 && length <= SEQUENCE_DIGITS;
        for (int i = 0; digits && i < length; i++) {
            char c = sequence.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw UndecodableRecordException.malformed(SEQUENCE, "'" + sequence + "' is not a non-negative decimal number");
        }
        try {
            return Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            throw UndecodableRecordException.malformed(SEQUENCE, "'" + sequence + "' is larger than a signed 64-bit number");
        }
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw UndecodableRecordException.missing(name);
        }
        return value;
    }

    /** {@code bytes} as text (null for null); ASCII (nearly every header) is copied as is, anything else must be valid UTF-8. */
    private static String text(String name, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        for (byte b : bytes) {
            if (b < 0) {
                return utf8Text(name, bytes);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String utf8Text(String name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw UndecodableRecordException.malformed(name, "is not valid UTF-8");
        }
    }

    private static void addOptional(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, utf8(value));
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
