package dev.tandem.messaging.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.DestinationUnavailableException;
import dev.tandem.messaging.Message;
import dev.tandem.testkit.transport.HeldPipelinedListener;
import dev.tandem.testkit.transport.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The in-process transport")
class InProcessTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private InProcessTransport subject = new InProcessTransport(InProcessTransport.Options.defaults().withMaxWaitingPerDestination(5));

    @AfterEach
    void close() {
        subject.close();
    }

    private static Message message(String destination, String key, long sequence) {
        return new Message(UUID.randomUUID(), "a", destination, key, sequence, Instant.EPOCH, "T", "text/plain", new byte[] {1}, Metadata.EMPTY);
    }

    @Nested
    @DisplayName("completes a publish")
    class Completion {

        @Test
        void onlyWhenTheConsumerHasReturned() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            subject.consume("d", "g", batch -> release.await());

            CompletableFuture<Void> sent = subject.publish(List.of(message("d", "k", 1)));

            assertThat(sent).isNotDone();
            release.countDown();
            assertThat(sent).succeedsWithin(WAIT);
        }

        @Test
        void onlyWhenEveryGroupHasHandledIt() throws Exception {
            CountDownLatch slowGroup = new CountDownLatch(1);
            RecordingListener fast = new RecordingListener();
            subject.consume("d", "fast", fast);
            subject.consume("d", "slow", batch -> slowGroup.await());

            CompletableFuture<Void> sent = subject.publish(List.of(message("d", "k", 1)));
            await().atMost(WAIT).until(() -> fast.received().size() == 1);

            assertThat(sent).isNotDone();
            slowGroup.countDown();
            assertThat(sent).succeedsWithin(WAIT);
        }
    }

    @Nested
    @DisplayName("with a destination no consumer has joined")
    class NoConsumerYet {

        @Test
        void reportsItAsUnconsumedUntilAGroupJoins() throws Exception {
            subject.consume("d", "g", batch -> {});
            subject.publish(List.of(message("d", "k", 1))).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(subject.unconsumed()).isEmpty();

            CompletableFuture<Void> sent = subject.publish(List.of(message("bank-c", "k", 1), message("bank-c", "k", 2)));

            assertThat(subject.unconsumed()).containsExactly(java.util.Map.entry("bank-c", 2));
            subject.consume("bank-c", "g", batch -> {});
            assertThat(sent).succeedsWithin(WAIT);
            assertThat(subject.unconsumed()).isEmpty();
        }

        @Test
        void keepsTheMessagesForTheFirstGroupToJoin() throws Exception {
            CompletableFuture<Void> sent = subject.publish(List.of(message("later", "k", 1), message("later", "k", 2)));
            assertThat(sent).isNotDone();

            RecordingListener listener = new RecordingListener();
            subject.consume("later", "g", listener);

            assertThat(sent).succeedsWithin(WAIT);
            assertThat(listener.received()).extracting(Message::sequence).containsExactly(1L, 2L);
        }

        @Test
        void failsTransientlyBeyondItsWaitingRoomLosingNothingAccepted() throws Exception {
            List<Message> first = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                first.add(message("later", "k", i));
            }
            CompletableFuture<Void> accepted = subject.publish(first);

            CompletableFuture<Void> refused = subject.publish(List.of(message("later", "k", 6)));

            assertThat(refused).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(DestinationUnavailableException.class)
                    .satisfies(e -> assertThat(((DestinationUnavailableException) e.getCause()).isTransient()).isTrue());
            RecordingListener listener = new RecordingListener();
            subject.consume("later", "g", listener);
            assertThat(accepted).succeedsWithin(WAIT);
            assertThat(listener.received()).hasSize(5);
        }
    }

    @Nested
    @DisplayName("pushes back on a slow consumer")
    class BackPressure {

        @Test
        void refusesTransientlyWhenAGroupHasTooManyQueuedAndDeliversWhatItAccepted() throws Exception {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener slow = new RecordingListener();
            subject.consume("d", "g", batch -> {
                entered.countDown();
                release.await();
                slow.onMessages(batch);
            });
            CompletableFuture<Void> first = subject.publish(List.of(message("d", "k", 1)));
            assertThat(entered.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // the consumer holds it
            List<Message> five = new ArrayList<>();
            for (int i = 2; i <= 6; i++) {
                five.add(message("d", "k", i));
            }
            CompletableFuture<Void> queued = subject.publish(five); // exactly the limit

            CompletableFuture<Void> refused = subject.publish(List.of(message("d", "k", 7)));

            assertThat(refused).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(DestinationUnavailableException.class);
            release.countDown();
            assertThat(first).succeedsWithin(WAIT);
            assertThat(queued).succeedsWithin(WAIT);
            assertThat(slow.received()).extracting(Message::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Nested
    @DisplayName("shares a group between members")
    class Members {

        @Test
        void givesEachMessageToOneMemberAndEachKeyToTheSameMember() throws Exception {
            RecordingListener one = new RecordingListener();
            RecordingListener two = new RecordingListener();
            subject.consume("d", "g", one);
            subject.consume("d", "g", two);
            List<Message> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(message("d", "key-" + (i % 20), i));
            }

            assertThat(subject.publish(sent)).succeedsWithin(WAIT);

            assertThat(one.received().size() + two.received().size()).isEqualTo(200);
            Set<String> keysOfOne = one.received().stream().map(Message::partitionKey).collect(java.util.stream.Collectors.toSet());
            assertThat(two.received()).noneMatch(m -> keysOfOne.contains(m.partitionKey()));
        }

        @Test
        void handsAClosedMembersMessagesToTheOthers() throws Exception {
            RecordingListener stays = new RecordingListener();
            var leaving = subject.consume("d", "g", new RecordingListener());
            subject.consume("d", "g", stays);
            leaving.close();

            assertThat(subject.publish(List.of(message("d", "a", 1), message("d", "b", 2), message("d", "c", 3)))).succeedsWithin(WAIT);

            assertThat(stays.received()).hasSize(3);
        }
    }

    @Nested
    @DisplayName("refuses bad input")
    class BadInput {

        @Test
        void refusesANullList() {
            assertThat(subject.publish(null)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(InvalidInputException.class);
        }

        @Test
        void refusesABlankDestinationToConsume() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> subject.consume(" ", "g", b -> {}))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("destination");
        }

        @Test
        void failsPendingPublishesWhenClosed() {
            CompletableFuture<Void> pending = subject.publish(List.of(message("nobody", "k", 1)));

            subject.close();

            assertThat(pending).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedException.class);
            assertThat(subject.publish(List.of(message("d", "k", 2)))).isCompletedExceptionally();
        }
    }

    @Nested
    @DisplayName("with a pipelined listener")
    class Pipelined {

        private final InProcessTransport oneByOne = new InProcessTransport(InProcessTransport.Options.defaults().withMaxBatchSize(1));

        @AfterEach
        void closeIt() {
            oneByOne.close();
        }

        @Test
        void keepsSeveralBatchesInFlightAndAcknowledgesEachOnItsOwn() throws Exception {
            HeldPipelinedListener listener = new HeldPipelinedListener();
            oneByOne.consume("d", "g", listener);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < Group.PIPELINED_BATCHES + 1; i++) {
                sent.add(oneByOne.publish(List.of(message("d", "k" + i, i))));
            }

            await().atMost(WAIT).until(() -> listener.submitted().size() == Group.PIPELINED_BATCHES);
            listener.complete(1);

            assertThat(sent.get(1)).as("acknowledged out of order").succeedsWithin(WAIT);
            assertThat(sent.get(0)).isNotDone();
            await().atMost(WAIT).until(() -> listener.submitted().size() == Group.PIPELINED_BATCHES + 1);
            listener.completeAll();
            assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        }

        @Test
        void deliversAFailedBatchAgainOnlyAfterEveryBatchInFlightCompleted() throws Exception {
            HeldPipelinedListener listener = new HeldPipelinedListener();
            oneByOne.consume("d", "g", listener);
            Message first = message("d", "a", 1);
            Message second = message("d", "b", 2);
            CompletableFuture<Void> sentFirst = oneByOne.publish(List.of(first));
            CompletableFuture<Void> sentSecond = oneByOne.publish(List.of(second));
            await().atMost(WAIT).until(() -> listener.submitted().size() == 2);

            listener.fail(0, new ClosedException("test store"));

            assertThat(listener.resumes()).as("not while the second batch is in flight").isZero();
            assertThat(listener.submitted()).hasSize(2);
            listener.complete(1);
            await().atMost(WAIT).until(() -> listener.submitted().size() == 3);

            assertThat(listener.resumes()).isEqualTo(1);
            assertThat(listener.submitted().get(2)).containsExactly(first);
            assertThat(sentSecond).succeedsWithin(WAIT);
            assertThat(sentFirst).isNotDone();
            listener.complete(2);
            assertThat(sentFirst).succeedsWithin(WAIT);
        }
    }
}
