package dev.tandem.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.DestinationUnavailableException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.ScriptedTransport;
import dev.tandem.messaging.UnknownDestinationException;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetterReason;
import dev.tandem.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The outbox relay")
class OutboxRelayTest {

    private static final RelayOptions OPTIONS = RelayOptions.named("test")
            .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 0.5, new Random(1)));

    private final EventStore store = new InMemoryEventStore();
    private OutboxRelay subject;

    @AfterEach
    void close() {
        if (subject != null) {
            subject.close();
        }
        store.close();
    }

    private long send(String destination, String key, String type) {
        NewEvent e = NewEvent.json(type, Map.of("k", key)).withRoute(Route.to(destination, key));
        return store.append(StreamId.of("order-" + key), ExpectedVersion.any(), List.of(e)).lastPosition();
    }

    /** A transport that accepts up to 3 batches in flight and confirms each when the test completes its future in {@code pending}. */
    private static ScriptedTransport holding(List<CompletableFuture<Void>> pending) {
        return new ScriptedTransport(m -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }, 3);
    }

    private boolean relayed(long position) throws InterruptedException {
        return subject.awaitPosition(position, Duration.ofSeconds(10));
    }

    @Nested
    @DisplayName("when the transport accepts")
    class Accepting {

        @Test
        void publishesRoutedEventsInStoreOrderAsMessagesOfTheService() throws Exception {
            ScriptedTransport transport = ScriptedTransport.accepting();
            send("bank-b", "1", "A");
            store.append(StreamId.of("local"), ExpectedVersion.any(), List.of(NewEvent.json("NotAMessage", Map.of())));
            long last = send("bank-b", "2", "B");
            subject = new OutboxRelay(store, "bank-a", transport, OPTIONS).start();

            assertThat(relayed(last)).isTrue();
            assertThat(transport.published()).extracting(Message::type).containsExactly("A", "B");
            assertThat(transport.published()).allSatisfy(m -> assertThat(m.source()).isEqualTo("bank-a"));
            assertThat(transport.published()).extracting(Message::sequence).isSorted();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.loadCheckpoint(OPTIONS.checkpoint()).orElse(0) == last);
        }

        @Test
        void resumesAfterItsCheckpointAfterARestart() throws Exception {
            ScriptedTransport first = ScriptedTransport.accepting();
            long p1 = send("d", "1", "First");
            subject = new OutboxRelay(store, "svc", first, OPTIONS).start();
            assertThat(relayed(p1)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.loadCheckpoint(OPTIONS.checkpoint()).orElse(0) == p1);
            subject.close();

            long p2 = send("d", "1", "Second");
            ScriptedTransport second = ScriptedTransport.accepting();
            subject = new OutboxRelay(store, "svc", second, OPTIONS).start();

            assertThat(relayed(p2)).isTrue();
            assertThat(second.published()).extracting(Message::type).containsExactly("Second");
        }
    }

    @Nested
    @DisplayName("when the transport does not confirm")
    class NotConfirming {

        @Test
        void keepsItsCheckpointSoARestartPublishesAgain() throws Exception {
            ScriptedTransport silent = new ScriptedTransport(m -> new CompletableFuture<>());
            long p = send("d", "1", "Pending");
            subject = new OutboxRelay(store, "svc", silent, OPTIONS).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.calls() == 1);
            subject.close();
            assertThat(store.loadCheckpoint(OPTIONS.checkpoint())).isEmpty();

            ScriptedTransport later = ScriptedTransport.accepting();
            subject = new OutboxRelay(store, "svc", later, OPTIONS).start();

            assertThat(relayed(p)).isTrue();
            assertThat(later.published()).extracting(Message::type).containsExactly("Pending");
        }

        @Test
        void holdsOneBatchInFlightSoASlowConsumerSlowsItDown() throws Exception {
            ScriptedTransport silent = new ScriptedTransport(m -> new CompletableFuture<>());
            for (int i = 0; i < 50; i++) {
                send("d", Integer.toString(i), "M");
            }
            subject = new OutboxRelay(store, "svc", silent, OPTIONS.withBatchSize(10)).start();

            await().atMost(Duration.ofSeconds(10)).until(() -> silent.calls() == 1);
            assertThat(subject.position()).isZero();
            assertThat(silent.calls()).isEqualTo(1);
        }

        @Test
        void keepsAsManyBatchesInFlightAsTheTransportAllowsAndConfirmsThemOnlyInOrder() throws Exception {
            List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
            ScriptedTransport held = holding(pending);
            long[] ends = new long[5];
            List<Long> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long p = send("d", Integer.toString(i), "M");
                sent.add(p);
                if (i % 10 == 9) {
                    ends[i / 10] = p;
                }
            }
            subject = new OutboxRelay(store, "svc", held, OPTIONS.withBatchSize(10)).start();

            await().atMost(Duration.ofSeconds(10)).until(() -> held.calls() == 3);
            pending.get(1).complete(null); // the second batch is confirmed before the first
            assertThat(held.calls()).isEqualTo(3);
            assertThat(subject.position()).isZero();

            pending.get(0).complete(null);
            assertThat(relayed(ends[1])).isTrue(); // both, in order
            await().atMost(Duration.ofSeconds(10)).until(() -> held.calls() == 5);
            assertThat(subject.position()).isEqualTo(ends[1]);
            pending.forEach(f -> f.complete(null));

            assertThat(relayed(ends[4])).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.loadCheckpoint(OPTIONS.checkpoint()).orElse(0) == ends[4]);
            assertThat(held.published()).extracting(Message::sequence).containsExactlyInAnyOrderElementsOf(sent); // each once
        }

        @Test
        void reportsTheFailureThatStoppedItWhenAnAcceptedBatchFails() throws Exception {
            List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
            ScriptedTransport held = holding(pending);
            long first = send("d", "0", "M");
            subject = new OutboxRelay(store, "svc", held, OPTIONS.withBatchSize(1)).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> held.calls() == 1);
            assertThat(subject.failure()).isEmpty();

            pending.getFirst().completeExceptionally(new dev.tandem.core.TransientException("the broker lost it"));
            send("d", "1", "M");

            await().atMost(Duration.ofSeconds(10)).until(() -> subject.failure().isPresent());
            assertThat(subject.failure().orElseThrow()).hasMessageContaining("the broker lost it");
            assertThat(subject.position()).as("held before the failed batch").isLessThan(first);
        }

        @Test
        void retriesTransientFailuresUntilTheTransportTakesTheBatch() throws Exception {
            AtomicInteger failures = new AtomicInteger(4);
            ScriptedTransport flaky = new ScriptedTransport(m -> failures.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new DestinationUnavailableException("d", "broker down"))
                    : CompletableFuture.completedFuture(null));
            long p = send("d", "1", "M");
            subject = new OutboxRelay(store, "svc", flaky, OPTIONS).start();

            assertThat(relayed(p)).isTrue();
            assertThat(flaky.calls()).isEqualTo(5);
            assertThat(flaky.published()).hasSize(1);
            assertThat(subject.deadLetters().list()).isEmpty();
        }
    }

    @Nested
    @DisplayName("when the transport is closed under it")
    class Closed {

        @Test
        void retriesInsteadOfParking() throws Exception {
            AtomicInteger closedCalls = new AtomicInteger(3);
            ScriptedTransport closing = new ScriptedTransport(m -> closedCalls.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new dev.tandem.core.ClosedException("transport"))
                    : CompletableFuture.completedFuture(null));
            long p = send("d", "1", "M");
            subject = new OutboxRelay(store, "svc", closing, OPTIONS).start();

            assertThat(relayed(p)).isTrue();
            assertThat(closing.published()).hasSize(1);
            assertThat(subject.deadLetters().list()).isEmpty();
        }
    }

    @Nested
    @DisplayName("when a message can never be published")
    class Refused {

        private final ScriptedTransport picky = new ScriptedTransport(m -> m.stream().anyMatch(x -> x.destination().equals("nowhere"))
                ? CompletableFuture.failedFuture(new UnknownDestinationException("nowhere", "no such topic"))
                : CompletableFuture.completedFuture(null));

        @Test
        void parksItWithTheReasonAndPublishesTheRest() throws Exception {
            send("d", "1", "Before");
            send("nowhere", "1", "Lost");
            long p = send("d", "1", "After");
            subject = new OutboxRelay(store, "svc", picky, OPTIONS).start();

            assertThat(relayed(p)).isTrue();
            assertThat(picky.published()).extracting(Message::type).containsExactly("Before", "After");
            assertThat(subject.deadLetters().list()).singleElement().satisfies(l -> {
                assertThat(l.message().type()).isEqualTo("Lost");
                assertThat(l.reason()).isEqualTo(DeadLetterReason.UNKNOWN_DESTINATION);
                assertThat(l.lastError()).contains("no such topic");
            });
        }

        @Test
        void parksAMessageOverTheSizeLimitWithoutTryingIt() throws Exception {
            ScriptedTransport transport = ScriptedTransport.accepting();
            NewEvent big = new NewEvent(NewEvent.newId(), "Big", new byte[2_000], "application/octet-stream",
                    dev.tandem.eventstore.Metadata.EMPTY, Route.to("d", "k"));
            long p = store.append(StreamId.of("s"), ExpectedVersion.any(), List.of(big)).lastPosition();
            subject = new OutboxRelay(store, "svc", transport, OPTIONS.withMaxMessageBytes(1_000)).start();

            assertThat(relayed(p)).isTrue();
            assertThat(transport.calls()).isZero();
            assertThat(subject.deadLetters().list()).extracting(DeadLetter::reason).containsExactly(DeadLetterReason.TOO_LARGE);
        }

        @Test
        void replaysAndDiscardsParkedMessagesRecordingEachAction() throws Exception {
            send("nowhere", "1", "One");
            long p = send("nowhere", "2", "Two");
            subject = new OutboxRelay(store, "svc", picky, OPTIONS).start();
            assertThat(relayed(p)).isTrue();
            List<DeadLetter> parked = subject.deadLetters().list();
            assertThat(parked).hasSize(2);

            assertThatThrownBy(() -> subject.replay(parked.get(0).message().id())).isInstanceOf(UnknownDestinationException.class);
            subject.discard(parked.get(1).message().id(), "topic was retired");

            assertThat(subject.deadLetters().list()).extracting(l -> l.message().type()).containsExactly("One");
            assertThat(store.readStream(subject.deadLetters().stream(), 1, ReadDirection.FORWARD, 100))
                    .extracting(e -> e.type())
                    .containsExactly("MessageParked", "MessageParked", "DeadLetterReplayFailed", "DeadLetterDiscarded");
            assertThatThrownBy(() -> subject.discard(parked.get(1).message().id(), "again"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("discarded");
        }
    }
}
