package dev.tandem.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records that cannot become a {@link dev.tandem.messaging.Message} to the destination's
 * dead-letter topic ({@code <topic>.dlt}), unchanged plus {@code tandem.dlt.*} headers saying why and
 * where from, so they never block their partition and are never silently lost.
 */
final class DeadLetters {

    static final String REASON = "tandem.dlt.reason";
    static final String ORIGIN_TOPIC = "tandem.dlt.topic";
    static final String ORIGIN_PARTITION = "tandem.dlt.partition";
    static final String ORIGIN_OFFSET = "tandem.dlt.offset";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaTransportConfig config;
    private final Topics topics;
    private final Producer<byte[], byte[]> producer;
    private final AtomicLong parked = new AtomicLong();

    DeadLetters(KafkaTransportConfig config, Topics topics, Producer<byte[], byte[]> producer) {
        this.config = config;
        this.topics = topics;
        this.producer = producer;
    }

    /** Writes {@code record} to the dead-letter topic and returns once the broker acknowledged it. */
    void park(String destination, ConsumerRecord<byte[], byte[]> record, UndecodableRecordException reason) {
        topics.ensureDeadLetter(destination);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON, utf8(reason.getMessage()));
        headers.add(ORIGIN_TOPIC, utf8(record.topic()));
        headers.add(ORIGIN_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(ORIGIN_OFFSET, utf8(Long.toString(record.offset())));
        String topic = config.deadLetterTopic(destination);
        try {
            producer.send(new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers))
                    .get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw KafkaErrors.translate(destination, "parking " + record.topic() + "-" + record.partition() + "@" + record.offset(), e.getCause());
        } catch (TimeoutException e) {
            throw KafkaErrors.unavailable(destination, "parking a record in " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaErrors.unavailable(destination, "interrupted while parking a record in " + topic, e);
        }
        parked.incrementAndGet();
        log.warn("Parked undecodable record {}-{}@{} in {}: {}", record.topic(), record.partition(), record.offset(), topic,
                reason.getMessage());
    }

    long parkedCount() {
        return parked.get();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
