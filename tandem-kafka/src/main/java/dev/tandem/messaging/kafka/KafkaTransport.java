package dev.tandem.messaging.kafka;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A {@link Transport} over Kafka: one topic per destination, the partition key as record key (so
 * order per key holds), messages encoded as CloudEvents in binary mode ({@link CloudEventsKafkaCodec}).
 *
 * <p>Publishing uses one idempotent producer with {@code acks=all}; a publish completes when every
 * record of the batch is acknowledged, and fails with a transient error when the broker cannot be
 * reached within the delivery timeout. Each {@link #consume} runs a consumer-group member on its own
 * thread that commits offsets only after the listener returned. Records that are not Tandem
 * messages go to the destination's dead-letter topic instead of blocking their partition.
 */
public final class KafkaTransport implements Transport {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaTransportConfig config;
    private final String clientId;
    private final Producer<byte[], byte[]> producer;
    private final Admin admin;
    private final Topics topics;
    private final DeadLetters deadLetters;
    private final List<KafkaConsumption> consumptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger consumerIds = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public KafkaTransport(KafkaTransportConfig config) {
        this.config = InvalidInputException.requireNonNull(config, "config");
        this.clientId = "tandem-" + INSTANCES.incrementAndGet();
        this.producer = new KafkaProducer<>(ClientProperties.producer(config, clientId + "-producer"));
        this.admin = Admin.create(ClientProperties.admin(config, clientId + "-admin"));
        this.topics = new Topics(config, admin);
        this.deadLetters = new DeadLetters(config, topics, producer);
    }

    public KafkaTransportConfig config() {
        return config;
    }

    /** How many undecodable records this transport's consumers moved to dead-letter topics. */
    public long deadLetteredCount() {
        return deadLetters.parkedCount();
    }

    @Override
    public CompletableFuture<Void> publish(List<Message> messages) {
        try {
            List<ProducerRecord<byte[], byte[]>> records = encode(messages);
            for (String destination : destinations(messages)) {
                topics.ensure(destination);
            }
            return send(messages, records);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(KafkaErrors.translate(firstDestination(messages), "publishing " + describe(messages), e));
        }
    }

    @Override
    public Consumption consume(String destination, String group, MessageBatchListener listener) {
        checkOpen();
        config.topic(destination); // validates the destination
        InvalidInputException.requireText(group, "group", 200);
        InvalidInputException.requireNonNull(listener, "listener");
        topics.ensure(destination);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientProperties.consumer(config, group, clientId + "-consumer-" + consumerIds.incrementAndGet()));
        KafkaConsumption consumption = new KafkaConsumption(destination, group, config, consumer, listener, deadLetters,
                consumptions::remove);
        consumptions.add(consumption);
        consumption.start();
        return consumption;
    }

    /** Stops the consumers this transport started, then flushes and closes the producer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (KafkaConsumption consumption : List.copyOf(consumptions)) {
            consumption.close();
        }
        producer.close(config.deliveryTimeout());
        admin.close(Duration.ofSeconds(5));
    }

    private List<ProducerRecord<byte[], byte[]>> encode(List<Message> messages) {
        checkOpen();
        InvalidInputException.requireNonNull(messages, "messages");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = InvalidInputException.requireNonNull(messages.get(i), "messages[" + i + "]");
            ProducerRecord<byte[], byte[]> record = CloudEventsKafkaCodec.encode(config.topic(message.destination()), message);
            int size = CloudEventsKafkaCodec.sizeOf(record);
            if (size > config.maxMessageBytes()) {
                throw new MessageTooLargeException(message.id(), size, config.maxMessageBytes());
            }
            records.add(record);
        }
        return records;
    }

    private CompletableFuture<Void> send(List<Message> messages, List<ProducerRecord<byte[], byte[]>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (records.isEmpty()) {
            done.complete(null);
            return done;
        }
        AtomicInteger pending = new AtomicInteger(records.size());
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            String destination = messages.get(i).destination();
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(KafkaErrors.translate(destination, "publishing to " + record.topic(), failure));
                } else if (pending.decrementAndGet() == 0) {
                    done.complete(null);
                }
            });
        }
        return done;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ClosedException("Kafka transport " + clientId + " (" + config.bootstrapServers() + ")");
        }
    }

    private static Set<String> destinations(List<Message> messages) {
        Set<String> destinations = new LinkedHashSet<>();
        messages.forEach(m -> destinations.add(m.destination()));
        return destinations;
    }

    private static String firstDestination(List<Message> messages) {
        return messages == null || messages.isEmpty() || messages.getFirst() == null ? "?" : messages.getFirst().destination();
    }

    private static String describe(List<Message> messages) {
        return messages == null ? "null" : messages.size() + " message(s)";
    }

    @Override
    public String toString() {
        return "KafkaTransport[" + clientId + " " + config.bootstrapServers() + "]";
    }

}
