package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.DestinationUnavailableException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.UnknownDestinationException;
import dev.tandem.testkit.kafka.TestKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Kafka-specific behaviour of the transport (beyond the contract), against a real single-node broker in this JVM. */
@SuppressWarnings("try") // consumptions are opened for their effect and closed by try-with-resources
class KafkaTransportBehaviourIT {

    @TempDir
    static Path brokerDir;

    static TestKafka kafka;

    KafkaTransport subject;
    String destination;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.inProcess(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void openTransport(TestInfo test) {
        subject = new KafkaTransport(config().build());
        destination = "it-" + test.getTestMethod().orElseThrow().getName().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeTransport() {
        subject.close();
    }

    static KafkaTransportConfig.Builder config() {
        return KafkaTransportConfig.builder(kafka.bootstrapServers()).partitions(4);
    }

    @Nested
    class PublishingAndConsuming {

        @Test
        void deliversEveryMessageUnchangedAndInOrderPerKey() {
            List<Message> sent = Messages.batch(destination, 10, 500, 0);
            subject.publish(sent).join();
            Map<String, List<Long>> sequencesByKey = new ConcurrentHashMap<>();
            List<Message> received = Collections.synchronizedList(new ArrayList<>());

            try (Consumption consumption = subject.consume(destination, "g1", batch -> {
                received.addAll(batch);
                batch.forEach(m -> sequencesByKey.computeIfAbsent(m.partitionKey(), k -> new ArrayList<>()).add(m.sequence()));
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 500);
                assertThat(consumption.destination()).isEqualTo(destination);
                assertThat(consumption.group()).isEqualTo("g1");
            }

            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
            sequencesByKey.values().forEach(sequences -> assertThat(sequences).isSorted().doesNotHaveDuplicates().hasSize(50));
        }

        @Test
        void aNewGroupReadsEverythingAcknowledgedBeforeItJoined() {
            subject.publish(Messages.batch(destination, 3, 30, 0)).join();
            AtomicInteger first = new AtomicInteger();
            AtomicInteger second = new AtomicInteger();

            try (Consumption a = subject.consume(destination, "ga", batch -> first.addAndGet(batch.size()));
                    Consumption b = subject.consume(destination, "gb", batch -> second.addAndGet(batch.size()))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> first.get() == 30 && second.get() == 30);
            }
        }

        @Test
        void aRestartedMemberResumesAfterTheLastHandledBatch() {
            subject.publish(Messages.batch(destination, 2, 40, 0)).join();
            Set<UUID> seen = ConcurrentHashMap.newKeySet();
            try (Consumption first = subject.consume(destination, "g", batch -> batch.forEach(m -> seen.add(m.id())))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 40);
            }
            List<Message> later = Messages.batch(destination, 2, 10, 20);
            subject.publish(later).join();
            List<Message> afterRestart = Collections.synchronizedList(new ArrayList<>());

            try (Consumption second = subject.consume(destination, "g", afterRestart::addAll)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> afterRestart.size() >= 10);
            }

            assertThat(afterRestart).containsExactlyInAnyOrderElementsOf(later);
        }
    }

    @Nested
    class ListenerFailures {

        @Test
        void redeliversABatchWhoseListenerThrewAndCommitsNothingBeforeItSucceeds() {
            List<Message> sent = Messages.batch(destination, 1, 20, 0);
            subject.publish(sent).join();
            AtomicInteger attempts = new AtomicInteger();
            List<Message> handled = Collections.synchronizedList(new ArrayList<>());

            try (Consumption consumption = subject.consume(destination, "g", batch -> {
                if (attempts.incrementAndGet() <= 3) {
                    throw new IllegalStateException("simulated handler failure " + attempts.get());
                }
                handled.addAll(batch);
            })) {
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 20);
            }

            assertThat(attempts.get()).isGreaterThan(3);
            assertThat(handled).containsExactlyElementsOf(sent);
        }
    }

    @Nested
    class UndecodableRecords {

        @Test
        void areMovedToTheDeadLetterTopicWithoutBlockingTheirPartition() throws Exception {
            KafkaTransportConfig single = config().partitions(1).build();
            try (KafkaTransport transport = new KafkaTransport(single)) {
                Message before = Messages.message(destination, "k", 0);
                Message after = Messages.message(destination, "k", 1);
                transport.publish(List.of(before)).join();
                try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
                    raw.send(new ProducerRecord<>(single.topic(destination), "k".getBytes(StandardCharsets.UTF_8),
                            "not a cloud event".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
                }
                transport.publish(List.of(after)).join();
                List<Message> handled = Collections.synchronizedList(new ArrayList<>());

                try (Consumption consumption = transport.consume(destination, "g", handled::addAll)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 2);
                }

                assertThat(handled).containsExactly(before, after);
                assertThat(transport.deadLetteredCount()).isEqualTo(1);
                ConsumerRecord<byte[], byte[]> parked = readOne(single.deadLetterTopic(destination));
                assertThat(new String(parked.value(), StandardCharsets.UTF_8)).isEqualTo("not a cloud event");
                assertThat(new String(parked.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                        .contains("ce_specversion", "is missing");
                assertThat(new String(parked.headers().lastHeader(DeadLetters.ORIGIN_OFFSET).value(), StandardCharsets.UTF_8))
                        .isEqualTo("1");
            }
        }
    }

    @Nested
    class BadInput {

        @Test
        void rejectsAnOversizeMessageBeforeSendingAnyOfTheBatch() {
            try (KafkaTransport small = new KafkaTransport(config().maxMessageBytes(2_000).build())) {
                Message fits = Messages.message(destination, "k", 0);
                Message huge = new Message(UUID.randomUUID(), "s", destination, "k", 1, fits.timestamp(), "Big", "application/octet-stream",
                        new byte[5_000], fits.headers());

                assertThatThrownBy(() -> small.publish(List.of(fits, huge)).join())
                        .isInstanceOf(CompletionException.class)
                        .cause().isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                            assertThat(e.messageId()).isEqualTo(huge.id());
                            assertThat(e.limit()).isEqualTo(2_000);
                        });
            }
            AtomicInteger delivered = new AtomicInteger();
            try (Consumption consumption = subject.consume(destination, "g", batch -> delivered.addAndGet(batch.size()))) {
                subject.publish(List.of(Messages.message(destination, "marker", 0))).join();
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() >= 1);
            }
            assertThat(delivered.get()).as("only the marker, nothing of the rejected batch").isEqualTo(1);
        }

        @Test
        void rejectsAnUnknownDestinationWhenTopicCreationIsOff() {
            try (KafkaTransport strict = new KafkaTransport(config().createTopics(false).build())) {
                assertThatThrownBy(() -> strict.publish(List.of(Messages.message(destination, "k", 0))).join())
                        .cause().isInstanceOfSatisfying(UnknownDestinationException.class, e -> {
                            assertThat(e.destination()).isEqualTo(destination);
                            assertThat(e.isTransient()).isFalse();
                        });
                assertThatThrownBy(() -> strict.consume(destination, "g", batch -> {}))
                        .isInstanceOf(UnknownDestinationException.class)
                        .hasMessageContaining("topic tandem." + destination + " does not exist");
            }
        }

        @Test
        void failsAPublishAsTransientWhenNoBrokerAnswers() throws Exception {
            KafkaTransportConfig unreachable = KafkaTransportConfig.builder("127.0.0.1:" + unusedPort())
                    .deliveryTimeout(Duration.ofMillis(1_500)).requestTimeout(Duration.ofMillis(1_000)).build();
            try (KafkaTransport nowhere = new KafkaTransport(unreachable)) {
                long start = System.nanoTime();

                assertThatThrownBy(() -> nowhere.publish(List.of(Messages.message(destination, "k", 0))).join())
                        .cause().isInstanceOfSatisfying(TandemException.class, e -> assertThat(e.isTransient()).isTrue())
                        .isInstanceOf(DestinationUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
        }

        @Test
        void rejectsUseAfterClose() {
            subject.close();

            assertThatThrownBy(() -> subject.publish(List.of(Messages.message(destination, "k", 0))).join())
                    .cause().isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.consume(destination, "g", batch -> {})).isInstanceOf(ClosedException.class);
        }

        @Test
        void rejectsNullAndBlankArguments() {
            assertThatThrownBy(() -> subject.publish(null).join()).cause().isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> subject.consume(" ", "g", batch -> {})).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("destination");
            assertThatThrownBy(() -> subject.consume(destination, "g", null)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("listener");
        }
    }

    static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    static ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return !records.isEmpty();
            });
            return records.getFirst();
        }
    }

    static Set<UUID> ids(List<Message> messages) {
        return messages.stream().map(Message::id).collect(Collectors.toSet());
    }
}
