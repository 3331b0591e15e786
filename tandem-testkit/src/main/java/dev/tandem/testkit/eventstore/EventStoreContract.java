package dev.tandem.testkit.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} must have; extend it once per implementation.
 *
 * <p>Subclasses create a fresh, empty store for each test from the options given (which carry a
 * {@link MutableClock} and a 4 KiB payload limit) and may override {@link #reopen} when the
 * store is durable.
 */
public abstract class EventStoreContract {

    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    protected static final int PAYLOAD_LIMIT = 4096;
    private static final Duration WAIT = Duration.ofSeconds(20);

    protected final MutableClock clock = new MutableClock(START);
    protected EventStore subject;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A fresh, empty store with these options. */
    protected abstract EventStore createStore(StoreOptions options) throws Exception;

    /** Closes {@code store} and opens the same data again; null when the store is not durable. */
    protected EventStore reopen(EventStore store, StoreOptions options) throws Exception {
        return null;
    }

    protected StoreOptions options() {
        return StoreOptions.defaults().withClock(clock).withMaxPayloadBytes(PAYLOAD_LIMIT);
    }

    @BeforeEach
    void openStore() throws Exception {
        subject = createStore(options());
    }

    @AfterEach
    void closeStore() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (subject != null) {
            subject.close();
        }
    }

    protected static StreamId stream(String name) {
        return StreamId.of(name + "-" + UUID.randomUUID());
    }

    protected static NewEvent event(String type, String body) {
        return new NewEvent(NewEvent.newId(), type, body.getBytes(StandardCharsets.UTF_8), "text/plain", Metadata.EMPTY, null);
    }

    protected static List<NewEvent> events(int n) {
        return IntStream.range(0, n).mapToObj(i -> event("Happened", "event " + i)).toList();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @Nested
    class Appending {

        @Test
        void assignsConsecutiveVersionsAndIncreasingPositions() {
            StreamId s = stream("account");
            AppendResult first = subject.append(s, ExpectedVersion.noStream(), events(3));
            AppendResult second = subject.append(s, ExpectedVersion.exactly(3), events(2));

            assertThat(first.firstVersion()).isEqualTo(1);
            assertThat(first.lastVersion()).isEqualTo(3);
            assertThat(second.firstVersion()).isEqualTo(4);
            assertThat(second.lastVersion()).isEqualTo(5);
            assertThat(second.firstPosition()).isGreaterThan(first.lastPosition());
            List<RecordedEvent> read = subject.readStream(s, 1, ReadDirection.FORWARD, 100);
            assertThat(read).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(read).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(subject.streamVersion(s)).isEqualTo(5);
            assertThat(subject.lastPosition()).isEqualTo(second.lastPosition());
        }

        @Test
        void storesEveryFieldAndStampsTheInjectedTime() {
            clock.set(Instant.parse("2026-03-04T05:06:07.123456Z"));
            StreamId s = stream("order");
            Metadata md = new Metadata("corr-1", "cause-1", "tx-1", Map.of("traceparent", "00-abc-def-01", "k", "v"));
            NewEvent e = new NewEvent(NewEvent.newId(), "OrderPlaced", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                    "application/json", md, Route.to("shipping", "order-7"));

            subject.append(s, ExpectedVersion.any(), List.of(e));

            RecordedEvent r = subject.readStream(s, 1, ReadDirection.FORWARD, 1).getFirst();
            assertThat(r.sameContentAs(e)).isTrue();
            assertThat(r.stream()).isEqualTo(s);
            assertThat(r.metadata()).isEqualTo(md);
            assertThat(r.route()).isEqualTo(Route.to("shipping", "order-7"));
            assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-03-04T05:06:07.123456Z"));
        }

        @Test
        void writesAllStreamsOfACommitTogether() {
            StreamId a = stream("a");
            StreamId b = stream("b");
            CommitResult result = subject.commit(Commit.builder()
                    .append(a, ExpectedVersion.noStream(), events(2))
                    .append(b, ExpectedVersion.noStream(), events(1))
                    .build());

            assertThat(result.appends()).hasSize(2);
            assertThat(subject.streamVersion(a)).isEqualTo(2);
            assertThat(subject.streamVersion(b)).isEqualTo(1);
            assertThat(result.lastPosition()).isEqualTo(subject.lastPosition());
        }

        @Test
        void completesPipelinedCommitsInSubmissionOrder() {
            StreamId s = stream("pipelined");
            List<java.util.concurrent.CompletableFuture<CommitResult>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(subject.commitAsync(Commit.of(s, ExpectedVersion.exactly(i), events(1))));
            }
            List<Long> versions = futures.stream().map(f -> EventStore.await(f).appends().getFirst().lastVersion()).toList();
            assertThat(versions).containsExactlyElementsOf(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
        }
    }

    @Nested
    class ExpectedVersions {

        @Test
        void rejectsNoStreamWhenTheStreamExists() {
            StreamId s = stream("x");
            subject.append(s, ExpectedVersion.noStream(), events(1));

            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.noStream(), events(1)))
                    .isInstanceOfSatisfying(StreamVersionConflict.class, c -> {
                        assertThat(c.actualVersion()).isEqualTo(1);
                        assertThat(c.expectedVersion()).isEqualTo(ExpectedVersion.noStream());
                        assertThat(c.stream()).isEqualTo(s);
                    });
            assertThat(subject.streamVersion(s)).isEqualTo(1);
        }

        @Test
        void rejectsAppendWhenExpectedVersionIsStale() {
            StreamId s = stream("x");
            subject.append(s, ExpectedVersion.any(), events(4));

            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.exactly(2), events(1)))
                    .isInstanceOfSatisfying(StreamVersionConflict.class, c -> {
                        assertThat(c.actualVersion()).isEqualTo(4);
                        assertThat(c.expectedVersion()).isEqualTo(ExpectedVersion.exactly(2));
                    })
                    .hasMessageContaining("expected version 2").hasMessageContaining("at 4");
            assertThat(subject.streamVersion(s)).isEqualTo(4);
        }

        @Test
        void treatsExactlyZeroAsNoStream() {
            StreamId s = stream("x");
            assertThat(subject.append(s, ExpectedVersion.exactly(0), events(1)).lastVersion()).isEqualTo(1);
            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.exactly(0), events(1))).isInstanceOf(StreamVersionConflict.class);
        }

        @Test
        void writesNothingOfACommitWhenOneOfItsStreamsConflicts() {
            StreamId a = stream("a");
            StreamId b = stream("b");
            subject.append(b, ExpectedVersion.any(), events(1));
            long before = subject.lastPosition();

            assertThatThrownBy(() -> subject.commit(Commit.builder()
                    .append(a, ExpectedVersion.noStream(), events(2))
                    .append(b, ExpectedVersion.noStream(), events(1))
                    .inbox(InboxEntry.of("consumer", UUID.randomUUID()))
                    .checkpoint("cp", 99)
                    .build())).isInstanceOf(StreamVersionConflict.class);

            assertThat(subject.streamVersion(a)).isZero();
            assertThat(subject.streamVersion(b)).isEqualTo(1);
            assertThat(subject.lastPosition()).isEqualTo(before);
            assertThat(subject.loadCheckpoint("cp")).isEmpty();
        }

        @Test
        void commitsWhenAGuardedStreamIsAtTheVersionItExpects() {
            StreamId lease = stream("lease");
            StreamId work = stream("work");
            subject.append(lease, ExpectedVersion.any(), events(2));

            subject.commit(Commit.builder().append(work, ExpectedVersion.noStream(), events(1)).guard(lease, ExpectedVersion.exactly(2)).build());

            assertThat(subject.streamVersion(work)).isEqualTo(1);
            assertThat(subject.streamVersion(lease)).as("a guard writes nothing").isEqualTo(2);
        }

        @Test
        void writesNothingWhenAGuardedStreamMovedOn() {
            StreamId lease = stream("lease");
            StreamId work = stream("work");
            subject.append(lease, ExpectedVersion.any(), events(3));
            long before = subject.lastPosition();

            assertThatThrownBy(() -> subject.commit(Commit.builder()
                    .append(work, ExpectedVersion.noStream(), events(1))
                    .inbox(InboxEntry.of("consumer", UUID.randomUUID()))
                    .guard(lease, ExpectedVersion.exactly(2))
                    .build()))
                    .isInstanceOfSatisfying(StreamVersionConflict.class, c -> {
                        assertThat(c.stream()).isEqualTo(lease);
                        assertThat(c.actualVersion()).isEqualTo(3);
                    });
            assertThat(subject.streamVersion(work)).isZero();
            assertThat(subject.lastPosition()).isEqualTo(before);
        }

        @Test
        void refusesAStreamBothGuardedAndWrittenInOneCommit() {
            StreamId s = stream("x");

            assertThatThrownBy(() -> Commit.builder().append(s, ExpectedVersion.any(), events(1)).guard(s, ExpectedVersion.exactly(0)).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("guarded");
        }
    }

    @Nested
    class Idempotency {

        @Test
        void reappendingTheSameEventsAtTheSamePlaceWritesNothing() {
            StreamId s = stream("x");
            List<NewEvent> batch = events(3);
            AppendResult first = subject.append(s, ExpectedVersion.noStream(), batch);
            subject.append(s, ExpectedVersion.exactly(3), events(1));

            AppendResult again = subject.append(s, ExpectedVersion.noStream(), batch);

            assertThat(again.written()).isFalse();
            assertThat(again.firstVersion()).isEqualTo(1);
            assertThat(again.lastVersion()).isEqualTo(3);
            assertThat(again.lastPosition()).isEqualTo(first.lastPosition());
            assertThat(subject.streamVersion(s)).isEqualTo(4);
            assertThat(subject.readAll(0, 100)).hasSize(4);
        }

        @Test
        void reappendingWithExpectedAnyIsAlsoIdempotent() {
            StreamId s = stream("x");
            List<NewEvent> batch = events(2);
            subject.append(s, ExpectedVersion.any(), batch);
            assertThat(subject.append(s, ExpectedVersion.any(), batch).written()).isFalse();
            assertThat(subject.streamVersion(s)).isEqualTo(2);
        }

        @Test
        void rejectsTheSameIdWithDifferentContent() {
            StreamId s = stream("x");
            NewEvent original = event("A", "one");
            subject.append(s, ExpectedVersion.noStream(), List.of(original));
            NewEvent changed = new NewEvent(original.id(), "A", "two".getBytes(StandardCharsets.UTF_8), "text/plain", Metadata.EMPTY, null);

            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.noStream(), List.of(changed)))
                    .isInstanceOfSatisfying(DuplicateEventException.class, d -> assertThat(d.eventId()).isEqualTo(original.id()));
            assertThat(subject.readStream(s, 1, ReadDirection.FORWARD, 10)).singleElement()
                    .satisfies(r -> assertThat(r.sameContentAs(original)).isTrue());
        }

        @Test
        void rejectsTheSameIdInAnotherStream() {
            NewEvent e = event("A", "one");
            subject.append(stream("x"), ExpectedVersion.any(), List.of(e));
            StreamId other = stream("y");

            assertThatThrownBy(() -> subject.append(other, ExpectedVersion.any(), List.of(e))).isInstanceOf(DuplicateEventException.class);
            assertThat(subject.streamVersion(other)).isZero();
        }
    }

    @Nested
    class Inbox {

        @Test
        void refusesASecondCommitForTheSameMessageAndReturnsTheFirstResult() {
            UUID message = UUID.randomUUID();
            StreamId s = stream("account");
            subject.commit(Commit.builder().append(s, ExpectedVersion.any(), events(1))
                    .inbox(new InboxEntry("bank-a", message, "reply-1".getBytes(StandardCharsets.UTF_8))).build());

            assertThatThrownBy(() -> subject.commit(Commit.builder().append(s, ExpectedVersion.any(), events(1))
                    .inbox(new InboxEntry("bank-a", message, "reply-2".getBytes(StandardCharsets.UTF_8))).build()))
                    .isInstanceOfSatisfying(DuplicateMessageException.class, d -> {
                        assertThat(d.previous().messageId()).isEqualTo(message);
                        assertThat(new String(d.previous().result(), StandardCharsets.UTF_8)).isEqualTo("reply-1");
                    });
            assertThat(subject.streamVersion(s)).isEqualTo(1);
        }

        @Test
        void keepsConsumersApart() {
            UUID message = UUID.randomUUID();
            subject.commit(Commit.builder().inbox(InboxEntry.of("a", message)).build());
            subject.commit(Commit.builder().inbox(InboxEntry.of("b", message)).build());

            assertThat(subject.findInbox("a", message)).isPresent();
            assertThat(subject.findInbox("b", message)).isPresent();
            assertThat(subject.findInbox("c", message)).isEmpty();
        }

        @Test
        void findsTheHandledOnesOfABatchOfMessageIdsInOneLookUp() {
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            UUID unknown = UUID.randomUUID();
            subject.commit(Commit.builder().inbox(new InboxEntry("a", first, "reply-1".getBytes(StandardCharsets.UTF_8))).build());
            subject.commit(Commit.builder().inbox(InboxEntry.of("a", second)).inbox(InboxEntry.of("b", unknown)).build());

            Map<UUID, InboxRecord> found = subject.findInbox("a", List.of(first, unknown, second));

            assertThat(found).containsOnlyKeys(first, second);
            assertThat(new String(found.get(first).result(), StandardCharsets.UTF_8)).isEqualTo("reply-1");
            assertThat(found.get(second).consumer()).isEqualTo("a");
            assertThat(subject.findInbox("a", List.of())).isEmpty();
            assertThatThrownBy(() -> subject.findInbox("a", (List<UUID>) null)).isInstanceOf(InvalidInputException.class);
        }

        @Test
        void purgesRecordsOlderThanTheCutoff() {
            UUID old = UUID.randomUUID();
            subject.commit(Commit.builder().inbox(InboxEntry.of("a", old)).build());
            clock.advance(Duration.ofHours(2));
            UUID recent = UUID.randomUUID();
            subject.commit(Commit.builder().inbox(InboxEntry.of("a", recent)).build());

            int purged = subject.purgeInbox(START.plus(Duration.ofHours(1)));

            assertThat(purged).isEqualTo(1);
            assertThat(subject.findInbox("a", old)).isEmpty();
            assertThat(subject.findInbox("a", recent)).hasValueSatisfying(r -> assertThat(r.recordedAt()).isEqualTo(START.plus(Duration.ofHours(2))));
        }
    }

    @Nested
    class Reading {

        @Test
        void readsAStreamForwardAndBackwardWithALimit() {
            StreamId s = stream("x");
            subject.append(s, ExpectedVersion.any(), events(10));

            assertThat(subject.readStream(s, 4, ReadDirection.FORWARD, 3)).extracting(RecordedEvent::version).containsExactly(4L, 5L, 6L);
            assertThat(subject.readStream(s, 4, ReadDirection.BACKWARD, 3)).extracting(RecordedEvent::version).containsExactly(4L, 3L, 2L);
            assertThat(subject.readStream(s, Long.MAX_VALUE, ReadDirection.BACKWARD, 2)).extracting(RecordedEvent::version).containsExactly(10L, 9L);
            assertThat(subject.readStream(s, 11, ReadDirection.FORWARD, 5)).isEmpty();
            assertThat(subject.readStream(stream("missing"), 1, ReadDirection.FORWARD, 5)).isEmpty();
        }

        @Test
        void readsAllAfterAPositionInPositionOrder() {
            StreamId a = stream("a");
            StreamId b = stream("b");
            subject.append(a, ExpectedVersion.any(), events(2));
            AppendResult middle = subject.append(b, ExpectedVersion.any(), events(2));
            subject.append(a, ExpectedVersion.any(), events(2));

            List<RecordedEvent> all = subject.readAll(0, 100);
            assertThat(all).hasSize(6).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            List<RecordedEvent> after = subject.readAll(middle.firstPosition(), 2);
            assertThat(after).hasSize(2);
            assertThat(after.getFirst().position()).isEqualTo(middle.lastPosition());
        }
    }

    @Nested
    class CheckpointsAndSnapshots {

        @Test
        void savesAndLoadsACheckpoint() {
            assertThat(subject.loadCheckpoint("relay")).isEmpty();
            subject.saveCheckpoint("relay", 42);
            subject.saveCheckpoint("relay", 43);
            assertThat(subject.loadCheckpoint("relay")).hasValue(43);
        }

        @Test
        void storesACheckpointAtomicallyWithEvents() {
            StreamId s = stream("projection");
            subject.commit(Commit.builder().append(s, ExpectedVersion.any(), events(1)).checkpoint("p", 7).build());
            assertThat(subject.loadCheckpoint("p")).hasValue(7);
        }

        @Test
        void keepsOnlyTheLatestSnapshot() {
            StreamId s = stream("account");
            subject.append(s, ExpectedVersion.any(), events(5));
            subject.saveSnapshot(new Snapshot(s, 3, "AccountState", "{\"balance\":3}".getBytes(StandardCharsets.UTF_8)));
            Snapshot latest = new Snapshot(s, 5, "AccountState", "{\"balance\":5}".getBytes(StandardCharsets.UTF_8));
            subject.saveSnapshot(latest);

            assertThat(subject.loadSnapshot(s)).hasValue(latest);
            assertThat(subject.loadSnapshot(stream("none"))).isEmpty();
        }
    }

    @Nested
    class BadInput {

        @Test
        void rejectsBlankOverlongAndControlCharacterStreamIds() {
            assertThatThrownBy(() -> StreamId.of(" ")).isInstanceOf(InvalidInputException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> StreamId.of("x".repeat(201))).isInstanceOf(InvalidInputException.class).hasMessageContaining("201");
            assertThatThrownBy(() -> StreamId.of("a\nb")).isInstanceOf(InvalidInputException.class).hasMessageContaining("control");
            assertThatThrownBy(() -> StreamId.of(null)).isInstanceOf(InvalidInputException.class);
        }

        @Test
        void rejectsEmptyAppendsAndBlankTypes() {
            StreamId s = stream("x");
            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.any(), List.of())).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> event(" ", "x")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(InvalidInputException.class);
            assertThat(subject.lastPosition()).isZero();
        }

        @Test
        void rejectsAPayloadOverTheLimitAndWritesNothingOfItsCommit() {
            StreamId s = stream("x");
            NewEvent big = new NewEvent(NewEvent.newId(), "Big", new byte[PAYLOAD_LIMIT + 1], "application/octet-stream", Metadata.EMPTY, null);

            assertThatThrownBy(() -> subject.append(s, ExpectedVersion.any(), List.of(event("Small", "ok"), big)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(String.valueOf(PAYLOAD_LIMIT + 1));
            assertThat(subject.streamVersion(s)).isZero();
            assertThat(subject.append(s, ExpectedVersion.any(), List.of(event("Exact", "x"),
                    new NewEvent(NewEvent.newId(), "Max", new byte[PAYLOAD_LIMIT], "application/octet-stream", Metadata.EMPTY, null))).lastVersion())
                    .isEqualTo(2);
        }

        @Test
        void rejectsInvalidReadArguments() {
            StreamId s = stream("x");
            assertThatThrownBy(() -> subject.readStream(s, -1, ReadDirection.FORWARD, 1)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> subject.readStream(s, 1, ReadDirection.FORWARD, 0)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> subject.readAll(-5, 10)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> subject.readStream(null, 1, ReadDirection.FORWARD, 1)).isInstanceOf(InvalidInputException.class);
        }

        @Test
        void refusesUseAfterClose() {
            subject.close();
            assertThatThrownBy(() -> subject.append(stream("x"), ExpectedVersion.any(), events(1))).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.readAll(0, 1)).isInstanceOf(ClosedException.class);
        }
    }

    @Nested
    class Subscriptions {

        @Test
        void catchesUpFromHistoryThenFollowsLiveAppends() throws Exception {
            StreamId s = stream("x");
            subject.append(s, ExpectedVersion.any(), events(50));
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            Subscription sub = closeLater(subject.subscribe(SubscriptionRequest.fromPosition("catch-up", 0).withBatchSize(7), seen::addAll));

            assertThat(sub.awaitPosition(subject.lastPosition(), WAIT)).isTrue();
            AppendResult live = subject.append(s, ExpectedVersion.any(), events(3));
            assertThat(sub.awaitPosition(live.lastPosition(), WAIT)).isTrue();

            assertThat(seen).hasSize(53).extracting(RecordedEvent::version)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 53).mapToObj(i -> (long) i).toList());
        }

        @Test
        void startsAfterTheGivenPosition() throws Exception {
            StreamId s = stream("x");
            AppendResult first = subject.append(s, ExpectedVersion.any(), events(5));
            AppendResult second = subject.append(s, ExpectedVersion.any(), events(5));
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            Subscription sub = closeLater(subject.subscribe(SubscriptionRequest.fromPosition("from", first.lastPosition()), seen::addAll));

            assertThat(sub.awaitPosition(second.lastPosition(), WAIT)).isTrue();
            assertThat(seen).extracting(RecordedEvent::version).containsExactly(6L, 7L, 8L, 9L, 10L);
        }

        @Test
        void resumesADurableSubscriptionFromItsCheckpoint() throws Exception {
            StreamId s = stream("x");
            AppendResult first = subject.append(s, ExpectedVersion.any(), events(4));
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription sub = subject.subscribe(SubscriptionRequest.durable("projector"), seen::addAll)) {
                assertThat(sub.awaitPosition(first.lastPosition(), WAIT)).isTrue();
            }
            assertThat(subject.loadCheckpoint("projector")).hasValue(first.lastPosition());
            AppendResult second = subject.append(s, ExpectedVersion.any(), events(2));
            List<RecordedEvent> resumed = new CopyOnWriteArrayList<>();
            Subscription again = closeLater(subject.subscribe(SubscriptionRequest.durable("projector"), resumed::addAll));

            assertThat(again.awaitPosition(second.lastPosition(), WAIT)).isTrue();
            assertThat(resumed).extracting(RecordedEvent::version).containsExactly(5L, 6L);
        }

        @Test
        void redeliversABatchTheHandlerFailedOn() throws Exception {
            StreamId s = stream("x");
            AppendResult appended = subject.append(s, ExpectedVersion.any(), events(3));
            AtomicInteger calls = new AtomicInteger();
            List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
            Subscription sub = closeLater(subject.subscribe(SubscriptionRequest.fromPosition("flaky", 0), batch -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("first attempt fails");
                }
                handled.addAll(batch);
            }));

            assertThat(sub.awaitPosition(appended.lastPosition(), WAIT)).isTrue();
            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
            assertThat(handled).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        }
    }

    @Nested
    class Concurrency {

        @Test
        void sixtyFourWritersRacingOnOneStreamGetExactlyOneWinnerPerVersion() throws Exception {
            StreamId s = stream("contended");
            int writers = 64;
            int rounds = 5;
            Map<Long, UUID> winners = new ConcurrentHashMap<>();
            AtomicInteger conflicts = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int round = 0; round < rounds; round++) {
                    long expected = subject.streamVersion(s);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> futures = new ArrayList<>();
                    for (int w = 0; w < writers; w++) {
                        futures.add(pool.submit(() -> {
                            NewEvent e = event("Claimed", "claim");
                            go.await();
                            try {
                                AppendResult r = subject.append(s, ExpectedVersion.exactly(expected), List.of(e));
                                assertThat(winners.putIfAbsent(r.lastVersion(), e.id())).isNull();
                            } catch (StreamVersionConflict c) {
                                conflicts.incrementAndGet();
                            }
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> f : futures) {
                        f.get();
                    }
                }
            }
            assertThat(winners).hasSize(rounds);
            assertThat(conflicts.get()).isEqualTo(rounds * (writers - 1));
            List<RecordedEvent> stored = subject.readStream(s, 1, ReadDirection.FORWARD, 1000);
            assertThat(stored).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(stored).extracting(RecordedEvent::id).containsExactlyInAnyOrderElementsOf(winners.values());
        }

        @Test
        void commitsRacingWithOneMessagesInboxEntryGetOneWinnerAndTheRestAreRefusedAsDuplicates() throws Exception {
            UUID message = UUID.randomUUID();
            int racers = 32;
            List<StreamId> streams = IntStream.range(0, racers).mapToObj(i -> stream("racer-" + i)).toList();
            List<CompletableFuture<CommitResult>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) { // queued at once, so that group-committing stores take several into one batch
                results.add(subject.commitAsync(Commit.builder().append(streams.get(i), ExpectedVersion.noStream(), List.of(event("Handled", "h" + i)))
                        .inbox(new InboxEntry("racing", message, ("reply-" + i).getBytes(StandardCharsets.UTF_8))).build()));
            }
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                try {
                    results.get(i).join();
                    winners.add(i);
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(DuplicateMessageException.class);
                }
            }
            assertThat(winners).hasSize(1);
            int winner = winners.getFirst();
            assertThat(subject.findInbox("racing", message)).hasValueSatisfying(r ->
                    assertThat(new String(r.result(), StandardCharsets.UTF_8)).isEqualTo("reply-" + winner));
            for (int i = 0; i < racers; i++) {
                assertThat(subject.streamVersion(streams.get(i))).as("racer %d's write", i).isEqualTo(i == winner ? 1 : 0);
            }
        }

        @Test
        void aCommitRepeatedManyTimesAtOnceIsWrittenOnceAndEveryRepeatGetsItsPositions() throws Exception {
            StreamId s = stream("repeated");
            Commit commit = Commit.of(s, ExpectedVersion.noStream(), events(2));
            List<CompletableFuture<CommitResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(subject.commitAsync(commit));
            }
            List<AppendResult> appends = results.stream().map(f -> f.join().appends().getFirst()).toList();
            assertThat(appends).extracting(AppendResult::firstPosition).containsOnly(appends.getFirst().firstPosition());
            assertThat(appends).filteredOn(AppendResult::written).hasSize(1);
            assertThat(subject.readStream(s, 1, ReadDirection.FORWARD, 10)).hasSize(2);
        }

        @Test
        void aWrittenListenerHearsOfACommitBeforeItsFutureCompletesAndACommitQueuedThenIsWrittenAfterIt() throws Exception {
            StreamId s = stream("written");
            CountDownLatch written = new CountDownLatch(1);
            List<CommitResult> told = new CopyOnWriteArrayList<>();
            CompletableFuture<CommitResult> first = subject.commitAsync(Commit.of(s, ExpectedVersion.noStream(), events(2)), r -> {
                told.add(r);
                written.countDown();
            });
            CompletableFuture<List<CommitResult>> toldWhenDone = first.thenApply(r -> List.copyOf(told));
            assertThat(written.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // queued once the first is written, perhaps before it is durable: written after it, so it expects its two events
            CommitResult second = subject.commit(Commit.of(s, ExpectedVersion.exactly(2), events(1)));

            assertThat(second.appends().getFirst().firstPosition()).isGreaterThan(first.join().appends().getFirst().lastPosition());
            assertThat(toldWhenDone.join()).as("told once, before the future completed, with its result").containsExactly(first.join());
            List<CommitResult> toldOfRefused = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> EventStore.await(subject.commitAsync(Commit.of(s, ExpectedVersion.exactly(1), events(1)), toldOfRefused::add)))
                    .isInstanceOf(StreamVersionConflict.class);
            assertThat(toldOfRefused).as("never told of a refused commit").isEmpty();
            assertThat(told).hasSize(1);
            assertThatThrownBy(() -> subject.commitAsync(Commit.of(s, ExpectedVersion.any(), events(1)), null))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("onWritten");
            assertThat(subject.streamVersion(s)).isEqualTo(3);
        }

        @Test
        void liveSubscribersSeeEveryEventOfManyWritersOnceInPositionOrder() throws Exception {
            int writers = 16;
            int appendsPerWriter = 40;
            List<List<RecordedEvent>> seen = new ArrayList<>();
            List<Subscription> subs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<RecordedEvent> mine = Collections.synchronizedList(new ArrayList<>());
                seen.add(mine);
                subs.add(closeLater(subject.subscribe(SubscriptionRequest.fromPosition("live-" + i, 0).withBatchSize(13), mine::addAll)));
            }
            List<UUID> appended = Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    StreamId s = stream("writer-" + w);
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < appendsPerWriter; i++) {
                            List<NewEvent> batch = events(1 + i % 3);
                            subject.append(s, ExpectedVersion.exactly(subject.streamVersion(s)), batch);
                            batch.forEach(e -> appended.add(e.id()));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            long last = subject.lastPosition();
            for (int i = 0; i < subs.size(); i++) {
                assertThat(subs.get(i).awaitPosition(last, WAIT)).isTrue();
                List<RecordedEvent> mine = seen.get(i);
                assertThat(mine).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
                assertThat(mine).extracting(RecordedEvent::id).containsExactlyInAnyOrderElementsOf(appended);
            }
        }
    }

    @Nested
    class Durability {

        @Test
        void keepsEverythingAcrossAReopen() throws Exception {
            StreamId s = stream("durable");
            UUID message = UUID.randomUUID();
            subject.commit(Commit.builder().append(s, ExpectedVersion.noStream(), events(3))
                    .inbox(InboxEntry.of("c", message)).checkpoint("cp", 3).build());
            subject.saveSnapshot(new Snapshot(s, 3, "S", new byte[] {1, 2, 3}));
            EventStore reopened = reopen(subject, options());
            Assumptions.assumeTrue(reopened != null, "this store is not durable");
            subject = reopened;

            assertThat(subject.streamVersion(s)).isEqualTo(3);
            assertThat(subject.findInbox("c", message)).isPresent();
            assertThat(subject.loadCheckpoint("cp")).hasValue(3);
            assertThat(subject.loadSnapshot(s)).hasValueSatisfying(snap -> assertThat(snap.state()).containsExactly(1, 2, 3));
            assertThat(subject.append(s, ExpectedVersion.exactly(3), events(1)).lastVersion()).isEqualTo(4);
        }
    }
}
