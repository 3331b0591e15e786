package dev.tandem.messaging.kafka;

import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxCheck;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.retry.RetryPolicy;
import dev.tandem.testkit.kafka.TestKafka;
import dev.tandem.testkit.transport.InboxUnderTest;
import dev.tandem.testkit.transport.TransportContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Kafka transport honours the transport contract (real broker in this JVM)")
class KafkaTransportIT extends TransportContract {

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

    @Override
    protected Transport createTransport() {
        return new KafkaTransport(KafkaTransportConfig.builder(kafka.bootstrapServers()).partitions(4)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(200)).build());
    }

    @Override
    protected InboxUnderTest inbox(EventStore store, String consumer, MessageHandler handler, boolean lookUpFirst) {
        InboxConsumer inbox = new InboxConsumer(store, consumer, handler, InboxOptions.defaults()
                .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(4), 0.5, new Random(7)))
                .withInboxCheck(lookUpFirst ? InboxCheck.ADAPTIVE : InboxCheck.NEVER));
        return new InboxUnderTest() {
            @Override
            public void onMessages(List<Message> messages) throws Exception {
                inbox.onMessages(messages);
            }

            @Override
            public List<UUID> parked() {
                return inbox.deadLetters().list().stream().map(l -> l.message().id()).toList();
            }

            @Override
            public void replay(UUID messageId) {
                inbox.replay(messageId);
            }
        };
    }
}
