package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CloudEventsKafkaCodecTest {

    static final Message TRANSFER = new Message(
            UUID.fromString("0190a5c8-7d3e-7000-8000-000000000001"), "bank-a", "bank-b", "account-42", 17,
            Instant.parse("2026-11-25T06:30:00.123456789Z"), "ReserveFunds", "application/json",
            "{\"amount\":100}".getBytes(StandardCharsets.UTF_8),
            new Metadata("corr-1", "cause-1", "tx-1", Map.of(
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate", "congo=t61rcWkgMzE",
                    "tenant", "eu")));

    static ConsumerRecord<byte[], byte[]> delivered(ProducerRecord<byte[], byte[]> record, long offset) {
        return new ConsumerRecord<>(record.topic(), 0, offset, record.timestamp(), TimestampType.CREATE_TIME,
                -1, -1, record.key(), record.value(), record.headers(), Optional.empty());
    }

    static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Nested
    class Encoding {

        @Test
        void writesTheCloudEventsAttributesAsBinaryModeHeaders() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("tandem.bank-b", TRANSFER);

            assertThat(record.topic()).isEqualTo("tandem.bank-b");
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("account-42");
            assertThat(record.value()).isEqualTo(TRANSFER.payload());
            assertThat(record.timestamp()).isEqualTo(TRANSFER.timestamp().toEpochMilli());
            Headers h = record.headers();
            assertThat(header(h, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(h, "ce_id")).isEqualTo("0190a5c8-7d3e-7000-8000-000000000001");
            assertThat(header(h, "ce_source")).isEqualTo("bank-a");
            assertThat(header(h, "ce_type")).isEqualTo("ReserveFunds");
            assertThat(header(h, "ce_time")).isEqualTo("2026-11-25T06:30:00.123456789Z");
            assertThat(header(h, "ce_sequence")).isEqualTo("0000000000000000017");
            assertThat(header(h, "ce_partitionkey")).isEqualTo("account-42");
            assertThat(header(h, "content-type")).isEqualTo("application/json");
            assertThat(header(h, "ce_correlationid")).isEqualTo("corr-1");
            assertThat(header(h, "ce_causationid")).isEqualTo("cause-1");
            assertThat(header(h, "ce_transactionid")).isEqualTo("tx-1");
            assertThat(header(h, "ce_traceparent")).isEqualTo(TRANSFER.traceparent());
            assertThat(header(h, "traceparent")).isEqualTo(TRANSFER.traceparent());
            assertThat(header(h, "ce_tracestate")).isEqualTo("congo=t61rcWkgMzE");
            assertThat(header(h, "tracestate")).isEqualTo("congo=t61rcWkgMzE");
            assertThat(h.lastHeader("tandem.header.tracestate")).isNull();
            assertThat(header(h, "tandem.header.tenant")).isEqualTo("eu");
        }

        @Test
        void padsSequencesSoTheyOrderLexicographically() {
            assertThat(CloudEventsKafkaCodec.paddedSequence(9)).isLessThan(CloudEventsKafkaCodec.paddedSequence(10));
            assertThat(CloudEventsKafkaCodec.paddedSequence(Long.MAX_VALUE)).isEqualTo(Long.toString(Long.MAX_VALUE));
        }

        @Test
        void leavesOutAbsentCorrelationHeaders() {
            Message bare = new Message(TRANSFER.id(), "a", "b", "k", 0, TRANSFER.timestamp(), "T", "text/plain",
                    new byte[0], Metadata.EMPTY);

            Headers h = CloudEventsKafkaCodec.encode("t", bare).headers();

            assertThat(h.lastHeader("ce_correlationid")).isNull();
            assertThat(h.lastHeader("ce_traceparent")).isNull();
            assertThat(h.lastHeader("traceparent")).isNull();
        }
    }

    @Nested
    class Decoding {

        @Test
        void restoresTheMessageThatWasEncoded() {
            Message decoded = CloudEventsKafkaCodec.decode("bank-b", delivered(CloudEventsKafkaCodec.encode("tandem.bank-b", TRANSFER), 5));

            assertThat(decoded).isEqualTo(TRANSFER);
        }

        @Test
        void acceptsAMinimalEventWrittenByAnotherLanguage() {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", bytes("1.0"));
            headers.add("ce_id", bytes("7f0e3a52-0d7b-4c1e-9f55-2a1a8c7d9e10"));
            headers.add("ce_source", bytes("ledger-py"));
            headers.add("ce_type", bytes("FundsReserved"));
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("tandem.bank-a", 3, 99, 1_764_000_000_000L,
                    TimestampType.CREATE_TIME, -1, -1, bytes("account-7"), bytes("{}"), headers, Optional.empty());

            Message decoded = CloudEventsKafkaCodec.decode("bank-a", record);

            assertThat(decoded.partitionKey()).isEqualTo("account-7");
            assertThat(decoded.sequence()).isEqualTo(99);
            assertThat(decoded.timestamp()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));
            assertThat(decoded.contentType()).isEqualTo("application/octet-stream");
            assertThat(decoded.headers()).isEqualTo(Metadata.EMPTY);
        }

        @Test
        void acceptsTimesWithAnOffset() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().remove("ce_time");
            record.headers().add("ce_time", bytes("2026-11-25T07:30:00+01:00"));

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0)).timestamp())
                    .isEqualTo(Instant.parse("2026-11-25T06:30:00Z"));
        }

        @Test
        void takesTheLastValueOfARepeatedHeader() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().add("ce_type", bytes("Later"));
            record.headers().add("tandem.header.tenant", bytes("first"));
            record.headers().add("tandem.header.tenant", bytes("second"));

            Message decoded = CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0));

            assertThat(decoded.type()).isEqualTo("Later");
            assertThat(decoded.headers().headers()).containsEntry("tenant", "second");
        }

        @Test
        void treatsARequiredHeaderWhoseLastValueIsNullAsMissing() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().add("ce_source", null);

            assertRejected(record, "ce_source", "is missing");
        }

        @Test
        void ignoresAFreeHeaderWithoutValue() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().add("tandem.header.empty", null);

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0))).isEqualTo(TRANSFER);
        }

        @Test
        void dropsAFreeHeaderWhoseLastValueIsNull() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().add("tandem.header.tenant", null);

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0)).headers().headers())
                    .doesNotContainKey("tenant").containsKey(Message.TRACEPARENT);
        }

        @Test
        void ignoresUnknownHeadersEvenWhenTheyAreNotText() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().add("b3-binary", new byte[] {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF});

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0))).isEqualTo(TRANSFER);
        }

        @Test
        void readsThePlainTraceparentWhenTheCloudEventsOneIsAbsent() {
            String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().remove("ce_traceparent");
            record.headers().remove("traceparent");
            record.headers().remove("ce_tracestate");
            record.headers().remove("tracestate");
            record.headers().add("traceparent", bytes(trace));
            record.headers().add("tracestate", bytes("rojo=00f067aa0ba902b7"));

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0)).headers().headers())
                    .containsEntry(Message.TRACEPARENT, trace).containsEntry("tracestate", "rojo=00f067aa0ba902b7");
        }

        @Test
        void acceptsNonAsciiText() {
            ProducerRecord<byte[], byte[]> record = replaced("ce_source", "banque-\u00e9t\u00e9-\u4e2d");

            assertThat(CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0)).source()).isEqualTo("banque-\u00e9t\u00e9-\u4e2d");
        }

        @Test
        void rejectsARecordWithoutSpecVersion() {
            assertRejected(without("ce_specversion"), "ce_specversion", "is missing");
        }

        @Test
        void rejectsAnUnsupportedSpecVersion() {
            assertRejected(replaced("ce_specversion", "0.3"), "ce_specversion", "not the supported version 1.0");
        }

        @Test
        void rejectsAnIdThatIsNotAUuid() {
            assertRejected(replaced("ce_id", "order-17"), "ce_id", "is not a UUID");
        }

        @Test
        void rejectsAMissingType() {
            assertRejected(without("ce_type"), "ce_type", "is missing");
        }

        @Test
        void rejectsAMalformedTime() {
            assertRejected(replaced("ce_time", "yesterday"), "ce_time", "RFC 3339");
            assertRejected(replaced("ce_time", "2026-02-30T00:00:00Z"), "ce_time", "RFC 3339");
            assertRejected(replaced("ce_time", "2026-11-25T24:00:00Z"), "ce_time", "RFC 3339");
        }

        @Test
        void rejectsANegativeOrNonNumericSequence() {
            assertRejected(replaced("ce_sequence", "-3"), "ce_sequence", "not a non-negative decimal number");
            assertRejected(replaced("ce_sequence", "99999999999999999999"), "ce_sequence", "not a non-negative decimal number");
            assertRejected(replaced("ce_sequence", ""), "ce_sequence", "not a non-negative decimal number");
            assertRejected(replaced("ce_sequence", "12a"), "ce_sequence", "not a non-negative decimal number");
            assertRejected(replaced("ce_sequence", "9999999999999999999"), "ce_sequence", "larger than a signed 64-bit number");
        }

        @Test
        void rejectsHeadersThatAreNotUtf8() {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().remove("ce_source");
            record.headers().add("ce_source", new byte[] {(byte) 0xC3, (byte) 0x28});

            assertRejected(record, "ce_source", "not valid UTF-8");
        }

        @Test
        void rejectsARecordWithNeitherPartitionKeyHeaderNorKey() {
            ProducerRecord<byte[], byte[]> encoded = CloudEventsKafkaCodec.encode("t", TRANSFER);
            encoded.headers().remove("ce_partitionkey");
            ProducerRecord<byte[], byte[]> keyless = new ProducerRecord<>("t", null, encoded.timestamp(), null, encoded.value(),
                    encoded.headers());

            assertRejected(keyless, "ce_partitionkey", "is missing");
        }

        @Test
        void rejectsAnEmptyCorrelationId() {
            assertRejected(replaced("ce_correlationid", ""), "metadata.correlationId", "must not be blank");
        }

        private void assertRejected(ProducerRecord<byte[], byte[]> record, String header, String problem) {
            assertThatThrownBy(() -> CloudEventsKafkaCodec.decode("bank-b", delivered(record, 0)))
                    .isInstanceOfSatisfying(UndecodableRecordException.class, e -> {
                        assertThat(e.header()).isEqualTo(header);
                        assertThat(e.isTransient()).isFalse();
                    })
                    .hasMessageContaining(problem);
        }

        private ProducerRecord<byte[], byte[]> without(String header) {
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode("t", TRANSFER);
            record.headers().remove(header);
            return record;
        }

        private ProducerRecord<byte[], byte[]> replaced(String header, String value) {
            ProducerRecord<byte[], byte[]> record = without(header);
            record.headers().add(header, bytes(value));
            return record;
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
