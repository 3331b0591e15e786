package dev.tandem.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.NonTransientException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract of {@link Transport}: every implementation's test extends this class and supplies the
 * transport and an inbox to run messages into.
 *
 * <p>Each test uses destinations of its own ({@link #destination}), so a transport may be shared.
 */
public abstract class TransportContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    protected Transport subject;
    private final List<Consumption> consumptions = new ArrayList<>();
    private final List<EventStore> stores = new ArrayList<>();

    /** A fresh transport for one test; it is closed after the test. */
    protected abstract Transport createTransport() throws Exception;

    /**
     * The inbox under test on {@code store}, named {@code consumer}, running {@code handler}; it must retry transient
     * failures at most 3 times with millisecond backoff.
     *
     * @param lookUpFirst true for the inbox's default way with redeliveries; false for an inbox that never looks a
     *     message up before handling it, so that only its commit refuses a duplicate
     */
    protected abstract InboxUnderTest inbox(EventStore store, String consumer, MessageHandler handler, boolean lookUpFirst);

    private InboxUnderTest inbox(EventStore store, String consumer, MessageHandler handler) {
        return inbox(store, consumer, handler, true);
    }

    /** A store for the consuming side; in memory unless overridden. */
    protected EventStore createStore() throws Exception {
        return new InMemoryEventStore();
    }

    /** A payload size (bytes) the transport must refuse as too large. */
    protected int oversizeBytes() {
        return 2 * 1024 * 1024 + 1;
    }

    @BeforeEach
    void openTransport() throws Exception {
        subject = createTransport();
    }

    @AfterEach
    void closeAll() {
        consumptions.forEach(Consumption::close);
        if (subject != null) {
            subject.close();
        }
        stores.forEach(EventStore::close);
    }

    /** A destination name unique to this run. */
    protected static String destination(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static Message message(String destination, String key, String type, String body) {
        return new Message(UUID.randomUUID(), "contract", destination, key, SEQUENCE.incrementAndGet(),
                Instant.parse("2026-01-01T00:00:00Z"), type, "text/plain", body.getBytes(StandardCharsets.UTF_8), Metadata.EMPTY);
    }

    protected Consumption consume(String destination, String group, MessageBatchListener listener) {
        Consumption c = subject.consume(destination, group, listener);
        consumptions.add(c);
        return c;
    }

    protected EventStore store() throws Exception {
        EventStore s = createStore();
        stores.add(s);
        return s;
    }

    private static void publishAll(Transport transport, List<Message> messages, int batch) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += batch) {
            sent.add(transport.publish(messages.subList(i, Math.min(messages.size(), i + batch))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<Message> spread(String destination, int keys, int perKey) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                out.add(message(destination, "key-" + k, "Tick", Integer.toString(i)));
            }
        }
        return out;
    }

    /** Applies a message by appending one event to {@code applied-<key>}. */
    private static MessageHandler applyTo() {
        return m -> Commit.builder().append(StreamId.of("applied-" + m.partitionKey()), ExpectedVersion.any(),
                List.of(NewEvent.json("Applied", Map.of("message", m.id().toString()))));
    }

    private static List<String> appliedIds(EventStore store, String key) {
        List<String> ids = new ArrayList<>();
        for (RecordedEvent e : store.readStream(StreamId.of("applied-" + key), 1, ReadDirection.FORWARD, 100_000)) {
            ids.add(e.payloadAs(Map.class).get("message").toString());
        }
        return ids;
    }

    @Nested
    @DisplayName("ordering")
    class Ordering {

        @Test
        void deliversEveryKeysMessagesInPublishOrder() throws Exception {
            String dest = destination("order");
            RecordingListener listener = new RecordingListener();
            consume(dest, "g", listener);
            List<Message> sent = spread(dest, 10, 100);
            publishAll(subject, sent, 37);

            await().atMost(WAIT).until(() -> listener.ids().size() == sent.size());
            Map<String, List<Long>> seen = new HashMap<>();
            Map<UUID, Boolean> first = new HashMap<>();
            for (Message m : listener.received()) {
                if (first.putIfAbsent(m.id(), true) == null) {
                    seen.computeIfAbsent(m.partitionKey(), k -> new ArrayList<>()).add(m.sequence());
                }
            }
            assertThat(seen).hasSize(10);
            seen.values().forEach(seqs -> assertThat(seqs).isSorted().hasSize(100));
        }

        @Test
        void keepsOrderPerKeyWhenTheConsumerFailsAndGetsBatchesAgain() throws Exception {
            String dest = destination("order-retry");
            RecordingListener listener = new RecordingListener(3);
            consume(dest, "g", listener);
            List<Message> sent = spread(dest, 5, 40);
            publishAll(subject, sent, 50);

            await().atMost(WAIT).until(() -> listener.ids().size() == sent.size());
            Map<String, Long> last = new HashMap<>();
            Map<UUID, Boolean> first = new HashMap<>();
            for (Message m : listener.received()) {
                if (first.putIfAbsent(m.id(), true) == null) {
                    Long before = last.put(m.partitionKey(), m.sequence());
                    assertThat(before == null || before < m.sequence()).as("order of %s", m).isTrue();
                }
            }
        }
    }

    @Nested
    @DisplayName("with a pipelined listener")
    class Pipelined {

        @Test
        void keepsOrderPerKeyWhenPipelinedBatchesFailAndComeAgain() throws Exception {
            String dest = destination("pipelined-order");
            try (FlakyPipelinedListener listener = new FlakyPipelinedListener(Set.of(2, 5, 9))) {
                consume(dest, "g", listener);
                List<Message> sent = spread(dest, 5, 60);
                for (int i = 0; i < sent.size(); i += 20) { // each chunk handled before the next: 15 batches or more
                    publishAll(subject, sent.subList(i, i + 20), 20);
                    int handled = i + 20;
                    await().atMost(WAIT).until(() -> listener.ids().size() == handled);
                }

                assertThat(listener.resumes()).as("a failed batch resumes the listener before it comes again").isPositive();
                Map<String, Long> last = new HashMap<>();
                Set<UUID> seen = new HashSet<>();
                for (Message m : listener.handled()) {
                    if (seen.add(m.id())) {
                        Long before = last.put(m.partitionKey(), m.sequence());
                        assertThat(before == null || before < m.sequence()).as("order of %s", m).isTrue();
                    }
                }
            }
        }

        @Test
        void handsTheNextBatchBeforeThePreviousOneCompleted() throws Exception {
            String dest = destination("pipelined-overlap");
            HeldPipelinedListener listener = new HeldPipelinedListener();
            consume(dest, "g", listener);
            Message first = message(dest, "a", "Tick", "1");
            Message second = message(dest, "b", "Tick", "2");
            try {
                CompletableFuture<Void> sentFirst = subject.publish(List.of(first));
                await().atMost(WAIT).until(() -> listener.submitted().size() == 1);
                CompletableFuture<Void> sentSecond = subject.publish(List.of(second));

                await().atMost(WAIT).until(() -> listener.submitted().size() == 2);
                assertThat(listener.submitted()).containsExactly(List.of(first), List.of(second));
                listener.completeAll();
                assertThat(CompletableFuture.allOf(sentFirst, sentSecond)).succeedsWithin(WAIT);
            } finally {
                listener.release(); // a consumption closes only once its batches in flight completed
            }
        }
    }

    @Nested
    @DisplayName("at-least-once delivery")
    class AtLeastOnce {

        @Test
        void redeliversABatchWhoseListenerFailed() throws Exception {
            String dest = destination("alo");
            RecordingListener listener = new RecordingListener(2);
            consume(dest, "g", listener);
            List<Message> sent = spread(dest, 3, 10);
            publishAll(subject, sent, 30);

            await().atMost(WAIT).until(() -> listener.ids().size() == sent.size());
            assertThat(listener.ids()).containsExactlyInAnyOrderElementsOf(sent.stream().map(Message::id).toList());
        }

        @Test
        void deliversEveryMessageToEachConsumerGroup() throws Exception {
            String dest = destination("groups");
            RecordingListener a = new RecordingListener();
            RecordingListener b = new RecordingListener();
            consume(dest, "group-a", a);
            consume(dest, "group-b", b);
            List<Message> sent = spread(dest, 4, 25);
            publishAll(subject, sent, 20);

            await().atMost(WAIT).until(() -> a.ids().size() == sent.size() && b.ids().size() == sent.size());
            assertThat(a.ids()).containsExactlyInAnyOrderElementsOf(b.ids());
        }

        @Test
        void deliversMessagesWithTheirEnvelopeIntact() throws Exception {
            String dest = destination("envelope");
            RecordingListener listener = new RecordingListener();
            consume(dest, "g", listener);
            Message sent = new Message(UUID.randomUUID(), "contract", dest, "k", 42, Instant.parse("2026-01-02T03:04:05.123Z"), "Typed",
                    "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                    new Metadata("corr", "cause", "tx-1", Map.of(Message.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));
            publishAll(subject, List.of(sent), 1);

            await().atMost(WAIT).until(() -> !listener.received().isEmpty());
            assertThat(listener.received().getFirst()).isEqualTo(sent);
        }
    }

    @Nested
    @DisplayName("inbox de-duplication")
    class Deduplication {

        @ParameterizedTest(name = "every message delivered {0} times, inbox looked up first: {1}")
        @CsvSource({"2, true", "5, true", "2, false", "5, false"})
        void appliesEachMessageOnceUnderForcedRedelivery(int times, boolean lookUpFirst) throws Exception {
            String dest = destination("dedup");
            EventStore store = store();
            InboxUnderTest inbox = inbox(store, "dedup-consumer", applyTo(), lookUpFirst);
            consume(dest, "g", new RedeliveringListener(inbox, times));
            List<Message> sent = spread(dest, 4, 25);
            for (int i = 0; i < times; i++) { // the relay re-publishing after a crash, on top of redelivery
                publishAll(subject, sent, 25);
            }

            await().atMost(WAIT).until(() -> store.lastPosition() >= sent.size());
            for (int k = 0; k < 4; k++) {
                String key = "key-" + k;
                List<String> expected = sent.stream().filter(m -> m.partitionKey().equals(key)).map(m -> m.id().toString()).toList();
                await().atMost(WAIT).untilAsserted(() -> assertThat(appliedIds(store, key)).containsExactlyElementsOf(expected));
            }
            assertThat(store.lastPosition()).isEqualTo(sent.size());
        }
    }

    @Nested
    @DisplayName("dead letters")
    class DeadLetters {

        @Test
        void parksPoisonMessagesWithoutBlockingOtherKeysOrLaterMessagesOfTheirKey() throws Exception {
            String dest = destination("poison");
            EventStore store = store();
            MessageHandler handler = m -> {
                if (m.type().equals("Poison")) {
                    throw new NonTransientException("cannot handle " + m.id()) {};
                }
                return applyTo().handle(m);
            };
            InboxUnderTest inbox = inbox(store, "poison-consumer", handler);
            consume(dest, "g", inbox);
            Message poison = message(dest, "key-0", "Poison", "x");
            Message after = message(dest, "key-0", "Tick", "after");
            List<Message> others = spread(dest, 3, 10);
            List<Message> sent = new ArrayList<>();
            sent.add(poison);
            sent.add(after);
            sent.addAll(others);
            publishAll(subject, sent, 8);

            await().atMost(WAIT).until(() -> inbox.parked().contains(poison.id()));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(appliedIds(store, "key-0")).contains(after.id().toString()).doesNotContain(poison.id().toString());
                assertThat(appliedIds(store, "key-1")).hasSize(10);
                assertThat(appliedIds(store, "key-2")).hasSize(10);
            });
            assertThat(inbox.parked()).containsExactly(poison.id());
        }

        @Test
        void replaysAParkedMessageOnceItsCauseIsFixed() throws Exception {
            String dest = destination("replay");
            EventStore store = store();
            AtomicBoolean fixed = new AtomicBoolean();
            MessageHandler handler = m -> {
                if (!fixed.get()) {
                    throw new IllegalStateException("downstream not ready");
                }
                return applyTo().handle(m);
            };
            InboxUnderTest inbox = inbox(store, "replay-consumer", handler);
            consume(dest, "g", inbox);
            Message m = message(dest, "key-9", "Tick", "1");
            publishAll(subject, List.of(m), 1);
            await().atMost(WAIT).until(() -> inbox.parked().contains(m.id()));

            fixed.set(true);
            inbox.replay(m.id());

            assertThat(inbox.parked()).isEmpty();
            assertThat(appliedIds(store, "key-9")).containsExactly(m.id().toString());
            publishAll(subject, List.of(m), 1); // a late redelivery changes nothing
            assertThat(appliedIds(store, "key-9")).containsExactly(m.id().toString());
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {

        @Test
        void refusesAnOversizeMessageWithATypedError() {
            String dest = destination("oversize");
            consume(dest, "g", new RecordingListener());
            Message big = new Message(UUID.randomUUID(), "contract", dest, "k", 1, Instant.parse("2026-01-01T00:00:00Z"), "Big",
                    "application/octet-stream", new byte[oversizeBytes()], Metadata.EMPTY);

            CompletableFuture<Void> sent = subject.publish(List.of(big));

            assertThat(sent).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(MessageTooLargeException.class);
        }
    }
}
