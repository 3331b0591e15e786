package dev.tandem.messaging.kafka;

import dev.tandem.messaging.UnknownDestinationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure a destination's topic exists before it is used: creates it, or checks it, once per topic. */
final class Topics {

    private static final long OPEN_PROBE_PAUSE_NANOS = 20_000_000;

    private final KafkaTransportConfig config;
    private final Admin admin;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    Topics(KafkaTransportConfig config, Admin admin) {
        this.config = config;
        this.admin = admin;
    }

    /** Blocks until {@code destination}'s topic exists, on first use only. */
    void ensure(String destination) {
        String topic = config.topic(destination);
        if (ready.contains(topic)) {
            return;
        }
        if (config.createTopics()) {
            create(destination, topic);
        } else {
            check(destination, topic);
        }
        ready.add(topic);
    }

    /** Creates the dead-letter topic of {@code destination}; dead letters have a place even when topic creation is off. */
    void ensureDeadLetter(String destination) {
        String topic = config.deadLetterTopic(destination);
        if (!ready.contains(topic)) {
            create(destination, topic);
            ready.add(topic);
        }
    }

    private void create(String destination, String topic) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(config.partitions()), Optional.of(config.replicationFactor()));
        String what = "creating topic " + topic;
        try {
            await(destination, admin.createTopics(List.of(newTopic)).all(), what);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw KafkaErrors.translate(destination, what, e.getCause());
            }
        }
        awaitOpen(destination, topic);
    }

    /**
     * Waits until every partition of a new topic has a leader whose log is open. Without this, an
     * idempotent producer that pipelines batches can have its first batch refused (partition not
     * open yet) while a later one is accepted, and the retried first batch then fails with an
     * out-of-order sequence until the delivery timeout. Kafka offers no notification for this, so it
     * is probed with a short, bounded pause between probes.
     */
    private void awaitOpen(String destination, String topic) {
        long deadline = System.nanoTime() + config.deliveryTimeout().toNanos();
        String what = "waiting for topic " + topic + " to open";
        while (true) {
            try {
                if (isOpen(destination, topic, what)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw KafkaErrors.translate(destination, what, e.getCause());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw KafkaErrors.unavailable(destination, what + ": not open after " + config.deliveryTimeout(), null);
            }
            LockSupport.parkNanos(OPEN_PROBE_PAUSE_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw KafkaErrors.unavailable(destination, "interrupted while " + what, new InterruptedException());
            }
        }
    }

    private boolean isOpen(String destination, String topic, String what) throws ExecutionException {
        TopicDescription description = awaitValue(destination, admin.describeTopics(List.of(topic)).allTopicNames(), what).get(topic);
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
                return false;
            }
            byLeader.computeIfAbsent(partition.leader().id(), id -> new ArrayList<>())
                    .add(new TopicPartition(topic, partition.partition()));
        }
        Map<Integer, Map<String, LogDirDescription>> logDirs = awaitValue(destination, admin.describeLogDirs(byLeader.keySet()).allDescriptions(), what);
        for (var entry : byLeader.entrySet()) {
            Set<TopicPartition> open = new HashSet<>();
            logDirs.getOrDefault(entry.getKey(), Map.of()).values().forEach(dir -> open.addAll(dir.replicaInfos().keySet()));
            if (!open.containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private void check(String destination, String topic) {
        String what = "looking up topic " + topic;
        try {
            await(destination, admin.describeTopics(List.of(topic)).allTopicNames(), what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UnknownDestinationException(destination, "topic " + topic + " does not exist and topic creation is off");
            }
            throw KafkaErrors.translate(destination, what, e.getCause());
        }
    }

    private void await(String destination, KafkaFuture<?> future, String what) throws ExecutionException {
        awaitValue(destination, future, what);
    }

    private <T> T awaitValue(String destination, KafkaFuture<T> future, String what) throws ExecutionException {
        try {
            return future.get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw KafkaErrors.unavailable(destination, what + " timed out after " + config.deliveryTimeout()
                    + " at " + config.bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaErrors.unavailable(destination, "interrupted while " + what, e);
        }
    }
}
