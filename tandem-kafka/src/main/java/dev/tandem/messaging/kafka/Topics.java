package dev.tandem.messaging.kafka;

import dev.tandem.core.StoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure a destination's topic exists before it is used: creates it, or checks it, once per topic. */
final class Topics {

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
            create(topic);
        } else {
            check(destination, topic);
        }
        ready.add(topic);
    }

    /** Creates the dead-letter topic of {@code destination}; dead letters have a place even when topic creation is off. */
    void ensureDeadLetter(String destination) {
        String topic = config.deadLetterTopic(destination);
        if (!ready.contains(topic)) {
            create(topic);
            ready.add(topic);
        }
    }

    private void create(String topic) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(config.partitions()), Optional.of(config.replicationFactor()));
        String what = "creating topic " + topic;
        try {
            await(admin.createTopics(List.of(newTopic)).all(), what);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw KafkaErrors.translate(what, e.getCause());
            }
        }
    }

    private void check(String destination, String topic) {
        String what = "looking up topic " + topic;
        try {
            await(admin.describeTopics(List.of(topic)).allTopicNames(), what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UnknownDestinationException(destination, topic);
            }
            throw KafkaErrors.translate(what, e.getCause());
        }
    }

    private void await(KafkaFuture<?> future, String what) throws ExecutionException {
        try {
            future.get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(what + " timed out after " + config.deliveryTimeout()
                    + " at " + config.bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while " + what, e);
        }
    }
}
