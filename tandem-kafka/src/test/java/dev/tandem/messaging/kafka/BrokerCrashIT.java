package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.TandemException;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.testkit.kafka.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash test (3): the broker process is killed with SIGKILL under load and restarted on the same
 * log directory. No acknowledged message may be lost, and producer and consumer must recover.
 */
@SuppressWarnings("try") // the consumption runs for its effect
class BrokerCrashIT {

    static final int BATCH = 100;

    @TempDir
    Path brokerDir;

    @Test
    void noAcknowledgedMessageIsLostWhenTheBrokerIsKilledAndRestartedUnderLoad() throws Exception {
        String destination = "crash";
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        Set<UUID> received = ConcurrentHashMap.newKeySet();
        List<Throwable> nonTransientFailures = new CopyOnWriteArrayList<>();
        AtomicInteger transientFailures = new AtomicInteger();
        AtomicBoolean publishing = new AtomicBoolean(true);

        try (TestKafka kafka = TestKafka.separateProcess(brokerDir);
                KafkaTransport subject = new KafkaTransport(KafkaTransportConfig.builder(kafka.bootstrapServers())
                        .partitions(4).deliveryTimeout(Duration.ofSeconds(20)).requestTimeout(Duration.ofSeconds(3)).build());
                Consumption consumption = subject.consume(destination, "crash-group", batch -> batch.forEach(m -> received.add(m.id())))) {
            Thread publisher = Thread.ofPlatform().name("test-publisher").start(() -> {
                long round = 0;
                while (publishing.get()) {
                    List<Message> batch = Messages.batch(destination, 20, BATCH, round * (BATCH / 20));
                    // Like the outbox relay: retry the same batch after a transient failure, never skip it.
                    while (true) {
                        try {
                            subject.publish(batch).join();
                            batch.forEach(m -> acknowledged.add(m.id()));
                            break;
                        } catch (CompletionException e) {
                            if (e.getCause() instanceof TandemException t && t.isTransient()) {
                                transientFailures.incrementAndGet();
                            } else {
                                nonTransientFailures.add(e.getCause());
                                return;
                            }
                        }
                    }
                    round++;
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_500);
            kafka.kill();
            int acknowledgedAtKill = acknowledged.size();
            kafka.restart();
            await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= acknowledgedAtKill + 1_500
                    || !nonTransientFailures.isEmpty());
            publishing.set(false);
            publisher.join();

            assertThat(nonTransientFailures).isEmpty();
            await().atMost(Duration.ofSeconds(90)).until(() -> received.containsAll(acknowledged));
            assertThat(received).containsAll(acknowledged);
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(acknowledgedAtKill + 1_500);
        }
    }
}
