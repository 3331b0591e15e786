package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.PipelinedBatchListener;
import dev.tandem.testkit.kafka.TestKafka;
import dev.tandem.testkit.transport.HeldPipelinedListener;
import dev.tandem.testkit.transport.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two members of one consumer group; one leaves mid-stream. Every message must be handled, in
 * order per key, and no offset may ever be committed past a record that was not handled yet.
 */
class RebalanceIT {

    static final int KEYS = 40;
    static final int MESSAGES = 4_800; // a multiple of the 400-message publish batches;

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

    /**
     * With plain listeners each batch is handled on the poll thread; with pipelined ones (as the inbox consumes) up to
     * four batches per member are in flight on a worker of its own, and the leaver must settle them before its
     * partitions move.
     */
    @ParameterizedTest(name = "pipelined listeners: {0}")
    @ValueSource(booleans = {false, true})
    void aMemberLeavingMidStreamLosesNothingAndCommitsNothingUnhandled(boolean pipelined) throws Exception {
        String destination = "rebalance-" + UUID.randomUUID().toString().substring(0, 8);
        String group = destination; // a group per run: its committed offsets are this run's only
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

        List<ExecutorService> workers = new CopyOnWriteArrayList<>();
        try (KafkaTransport subject = new KafkaTransport(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            MessageBatchListener leaving = batch -> {
                recorder.onMessages(batch);
                handledByLeaver.addAndGet(batch.size());
            };
            Consumption stayer = subject.consume(destination, group, pipelined ? onWorker(recorder, workers) : recorder);
            Consumption leaver = subject.consume(destination, group, pipelined ? onWorker(leaving, workers) : leaving);
            // Both members own partitions before anything is published, so each has a share to handle.
            await().atMost(Duration.ofSeconds(30)).until(() -> membersWithPartitions(admin, group) == 2);
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

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handledByLeaver.get())
                    .as("handled by the leaver, of %d handled and %d published", handledAt.size(), published.get()).isGreaterThan(500));
            snapshots.add(snapshot(admin, group));
            leaver.close();
            int byLeaverAtExit = handledByLeaver.get();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
                snapshots.add(snapshot(admin, group));
                assertThat(publishFailures).isEmpty();
                assertThat(handledAt).as("handled of %d published", published.get()).hasSize(MESSAGES);
            });
            publisher.join();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Snapshot now = snapshot(admin, group);
                assertThat(committedTotal(now)).as("committed offsets %s", now.committed()).isEqualTo(MESSAGES);
            });
            stayer.close();

            assertThat(handledByLeaver.get()).as("the leaver handles nothing after it left").isEqualTo(byLeaverAtExit);
            assertThat(handledAt).hasSize(MESSAGES);
            assertThat(orderViolations).as("messages handled before their predecessor on the same key").isEmpty();
            assertNothingCommittedBeforeHandled(config.topic(destination), snapshots, handledAt);
        } finally {
            workers.forEach(ExecutorService::shutdownNow);
        }
    }

    /** {@code listener} as a pipelined listener whose batches are handled, in order, on a worker thread of its own. */
    private static PipelinedBatchListener onWorker(MessageBatchListener listener, List<ExecutorService> workers) {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        workers.add(worker);
        return new PipelinedBatchListener() {
            @Override
            public CompletableFuture<Void> submit(List<Message> batch) {
                return CompletableFuture.runAsync(() -> {
                    try {
                        listener.onMessages(batch);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, worker);
            }

            @Override
            public void resume() {}

            @Override
            public void onMessages(List<Message> batch) throws Exception {
                listener.onMessages(batch);
            }
        };
    }

    private static Snapshot snapshot(Admin admin, String group) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS));
        return new Snapshot(committed, System.nanoTime());
    }

    /**
     * A member joining takes partitions from one whose batches are still in flight: the rebalance must wait until
     * they settled and their offsets are committed, or the joiner would start below them and handle them again.
     */
    @Test
    void aJoiningMemberStartsAfterTheBatchesThatWereInFlightOnItsPartitions() throws Exception {
        String destination = "joining-" + UUID.randomUUID().toString().substring(0, 8);
        String group = destination;
        KafkaTransportConfig config = KafkaTransportConfig.builder(kafka.bootstrapServers()).partitions(4)
                .clientProperty("heartbeat.interval.ms", "50").build(); // members hear of a rebalance at once
        HeldPipelinedListener first = new HeldPipelinedListener();
        RecordingListener joiner = new RecordingListener();
        try (KafkaTransport subject = new KafkaTransport(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            try {
                subject.consume(destination, group, first); // both consumptions close with the transport
                List<Message> before = Messages.batch(destination, KEYS, 200, 0);
                subject.publish(before).join();
                await().atMost(Duration.ofSeconds(30)).until(() -> first.received().size() == before.size()); // all held in flight
                subject.consume(destination, group, joiner);

                // The first member hears of the rebalance within a heartbeat and must then wait for its batches, so the
                // rebalance cannot end: the joiner gets nothing meanwhile (it would get them all again if it could).
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> joiner.ids().isEmpty());
                first.release();
                await().atMost(Duration.ofSeconds(30)).until(() -> membersWithPartitions(admin, group) == 2);
                List<Message> after = Messages.batch(destination, KEYS, 200, 10);
                subject.publish(after).join();
                Set<UUID> afterIds = new HashSet<>(after.stream().map(Message::id).toList());
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Set<UUID> seen = new HashSet<>(joiner.ids());
                    first.received().forEach(m -> seen.add(m.id()));
                    return seen.containsAll(afterIds);
                });

                assertThat(joiner.ids()).as("the joiner handles its partitions' new messages").containsAnyElementsOf(afterIds);
                assertThat(joiner.ids()).as("handled again by the joiner").doesNotContainAnyElementsOf(before.stream().map(Message::id).toList());
            } finally {
                first.release(); // the transport's close waits for every batch in flight
            }
        }
    }

    private static long membersWithPartitions(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(10, TimeUnit.SECONDS);
        return description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
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
