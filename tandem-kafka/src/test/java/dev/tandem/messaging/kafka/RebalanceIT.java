package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.testkit.kafka.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two members of one consumer group; one leaves mid-stream. Every message must be handled, in
 * order per key, and no offset may ever be committed past a record that was not handled yet.
 */
class RebalanceIT {

    static final int KEYS = 40;
    static final int MESSAGES = 4_800; // a multiple of the 400-message publish batches;
    static final String GROUP = "rebalance";

    @TempDir
    static Path brokerDir;

    static TestKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = TestKafka.inProcess(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A committed-offsets snapshot and the moment (nanoTime) right after it was read. */
    record Snapshot(Map<TopicPartition, OffsetAndMetadata> committed, long readAt) {}

    @Test
    void aMemberLeavingMidStreamLosesNothingAndCommitsNothingUnhandled() throws Exception {
        String destination = "rebalance-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaTransportConfig config = KafkaTransportConfig.builder(kafka.bootstrapServers()).partitions(6).maxPollRecords(200).build();
        Map<UUID, Long> handledAt = new ConcurrentHashMap<>();
        Set<String> orderViolations = ConcurrentHashMap.newKeySet();
        Map<String, Set<Long>> handledSequences = new ConcurrentHashMap<>();
        List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
        AtomicInteger handledByLeaver = new AtomicInteger();
        MessageBatchListener recorder = batch -> {
            for (Message m : batch) {
                Set<Long> seen = handledSequences.computeIfAbsent(m.partitionKey(), k -> ConcurrentHashMap.newKeySet());
                if (m.sequence() > 0 && !seen.contains(m.sequence() - 1)) {
                    orderViolations.add(m.partitionKey() + "#" + m.sequence());
                }
                seen.add(m.sequence());
                handledAt.putIfAbsent(m.id(), System.nanoTime());
            }
        };

        try (KafkaTransport subject = new KafkaTransport(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Consumption stayer = subject.consume(destination, GROUP, recorder);
            Consumption leaver = subject.consume(destination, GROUP, batch -> {
                recorder.onMessages(batch);
                handledByLeaver.addAndGet(batch.size());
            });
            List<Throwable> publishFailures = new CopyOnWriteArrayList<>();
            AtomicInteger published = new AtomicInteger();
            Thread publisher = Thread.ofPlatform().name("test-publisher").start(() -> {
                try {
                    for (int chunk = 0; chunk < MESSAGES / 400; chunk++) {
                        subject.publish(Messages.batch(destination, KEYS, 400, chunk * 10L)).join();
                        published.addAndGet(400);
                    }
                } catch (RuntimeException e) {
                    publishFailures.add(e);
                }
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> handledByLeaver.get() > 500);
            snapshots.add(snapshot(admin));
            leaver.close();
            int byLeaverAtExit = handledByLeaver.get();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
                snapshots.add(snapshot(admin));
                assertThat(publishFailures).isEmpty();
                assertThat(handledAt).as("handled of %d published", published.get()).hasSize(MESSAGES);
            });
            publisher.join();
            await().atMost(Duration.ofSeconds(30)).until(() -> committedTotal(snapshot(admin)) == MESSAGES);
            stayer.close();

            assertThat(handledByLeaver.get()).as("the leaver handles nothing after it left").isEqualTo(byLeaverAtExit);
            assertThat(handledAt).hasSize(MESSAGES);
            assertThat(orderViolations).as("messages handled before their predecessor on the same key").isEmpty();
            assertNothingCommittedBeforeHandled(config.topic(destination), snapshots, handledAt);
        }
    }

    private static Snapshot snapshot(Admin admin) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS));
        return new Snapshot(committed, System.nanoTime());
    }

    private static long committedTotal(Snapshot snapshot) {
        return snapshot.committed().values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Every record below a committed offset must have been handled before that offset was read. */
    private static void assertNothingCommittedBeforeHandled(String topic, List<Snapshot> snapshots, Map<UUID, Long> handledAt) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = readAll(topic);
        Map<TopicPartition, long[]> handledAtByOffset = new HashMap<>();
        log.forEach((partition, records) -> {
            long[] times = new long[records.size()];
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Long at = handledAt.get(CloudEventsKafkaCodec.decode("audit", record).id());
                times[(int) record.offset()] = at == null ? Long.MAX_VALUE : at;
            }
            handledAtByOffset.put(partition, times);
        });
        List<String> violations = new ArrayList<>();
        long checked = 0;
        for (Snapshot snapshot : snapshots) {
            for (var entry : snapshot.committed().entrySet()) {
                long[] times = handledAtByOffset.getOrDefault(entry.getKey(), new long[0]);
                for (int offset = 0; offset < entry.getValue().offset() && offset < times.length; offset++) {
                    checked++;
                    if (times[offset] == Long.MAX_VALUE || times[offset] - snapshot.readAt() >= 0) {
                        violations.add(entry.getKey() + "@" + offset + " committed (" + entry.getValue().offset() + ") before handled");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
        assertThat(checked).isPositive();
    }

    private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> readAll(String topic) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "audit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            AtomicInteger count = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    log.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>()).add(record);
                    count.incrementAndGet();
                }
                return count.get() >= MESSAGES;
            });
        }
        return log;
    }
}
