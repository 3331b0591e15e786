package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.messaging.Message;
import dev.tandem.testkit.transport.HeldPipelinedListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poll loop's bookkeeping for a pipelined listener, against Kafka's {@link MockConsumer} (the logic under test
 * is ours; the broker's side is covered by the *IT suites): which batches are handed over, and where a failure
 * rewinds.
 */
class KafkaConsumptionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final KafkaTransportConfig config = KafkaTransportConfig.builder("unused:9092")
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
    private final String topic = config.topic("d");
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final List<Message> sent = new ArrayList<>();
    private final HeldPipelinedListener listener = new HeldPipelinedListener();
    private KafkaConsumption subject;

    @AfterEach
    void close() {
        listener.release(); // a consumption closes only once its batches in flight completed
        if (subject != null) {
            subject.close();
        }
    }

    @Test
    @Timeout(60)
    void aBatchPolledWhileTheFirstInFlightFailsIsNotHandedOverButComesAgainAfterIt() throws Exception {
        subject = new KafkaConsumption("d", "g", config, consumer, listener, null, c -> {});
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(partition));
            consumer.updateBeginningOffsets(Map.of(partition, 0L));
        });
        subject.start();
        await().atMost(WAIT).until(() -> consumer.assignment().contains(partition)); // the first poll ran the rebalance
        for (int i = 0; i < KafkaConsumption.PIPELINED_BATCHES; i++) { // one record per poll: four batches in flight
            deliver(i);
            int batches = i + 1;
            await().atMost(WAIT).until(() -> listener.submitted().size() == batches);
        }
        deliver(KafkaConsumption.PIPELINED_BATCHES); // polled, then waits for room behind the four
        await().atMost(WAIT).until(() -> consumer.position(partition) == KafkaConsumption.PIPELINED_BATCHES + 1);

        listener.fail(0, new IllegalStateException("batch 0 fails on purpose"));
        listener.completeAll();

        await().atMost(WAIT).until(() -> listener.resumes() == 1);
        assertThat(consumer.position(partition)).as("rewound to the failed batch's first record").isZero();
        assertThat(listener.submitted()).as("the fifth record is not handed over before the failed ones come again")
                .hasSize(KafkaConsumption.PIPELINED_BATCHES);

        listener.release(); // from here on every batch completes at once
        for (int i = 0; i <= KafkaConsumption.PIPELINED_BATCHES; i++) { // the broker delivers them again from offset 0
            redeliver(i);
        }
        await().atMost(WAIT).until(() -> handedOverAgain().size() == sent.size());
        assertThat(handedOverAgain()).as("again, in order, the fifth last").containsExactlyElementsOf(sent);
    }

    /** What the listener got after the four batches that were in flight when the first failed. */
    private List<Message> handedOverAgain() {
        List<List<Message>> batches = listener.submitted();
        return batches.subList(KafkaConsumption.PIPELINED_BATCHES, batches.size()).stream().flatMap(List::stream).toList();
    }

    private void deliver(int offset) {
        Message m = Messages.message("d", "k", offset);
        sent.add(m);
        redeliver(offset);
    }

    private void redeliver(int offset) {
        consumer.addRecord(CloudEventsKafkaCodecTest.delivered(CloudEventsKafkaCodec.encode(topic, sent.get(offset)), offset));
    }
}
