package dev.tandem.eventstore.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    private static Commit commit(int i) {
        return Commit.of(StreamId.of("s", i), ExpectedVersion.any(), List.of(NewEvent.json("Noted", i)));
    }

    /** Commits everything it is given and counts the batches. */
    private static final class CountingWriter implements GroupCommitter.BatchWriter {
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public List<BatchPlanner.Outcome> write(List<Commit> batch) {
            batches.incrementAndGet();
            List<BatchPlanner.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                outcomes.add(new BatchPlanner.Outcome.Committed(new CommitResult(List.of())));
            }
            return outcomes;
        }
    }

    private static StoreUnavailableException mapped(Exception e) {
        return new StoreUnavailableException("mapped: " + e.getMessage(), e);
    }

    @Nested
    class WithASyncer {

        @Test
        void completesACommitOnlyAfterASyncThatBeganAfterItsBatchWasWritten() throws Exception {
            CountDownLatch syncing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger syncs = new AtomicInteger();
            CountingWriter writer = new CountingWriter();
            GroupCommitter.Syncer syncer = () -> {
                if (syncs.incrementAndGet() == 1) {
                    syncing.countDown();
                    assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                }
            };
            try (GroupCommitter subject = new GroupCommitter("test", StoreOptions.defaults(), writer, syncer, GroupCommitterTest::mapped, () -> {})) {
                CompletableFuture<CommitResult> first = subject.submit(commit(1));
                assertThat(syncing.await(10, TimeUnit.SECONDS)).isTrue();
                // While the first sync hangs, more commits are written but none completes.
                List<CompletableFuture<CommitResult>> more = new ArrayList<>();
                for (int i = 2; i <= 20; i++) {
                    more.add(subject.submit(commit(i)));
                }
                assertThat(first).isNotDone();
                assertThat(more).noneMatch(CompletableFuture::isDone);

                release.countDown();
                EventStore.await(first);
                for (CompletableFuture<CommitResult> f : more) {
                    EventStore.await(f);
                }
                // The commits queued during the first sync were written together and needed few further syncs.
                assertThat(syncs.get()).isLessThanOrEqualTo(writer.batches.get()).isLessThan(20);
            }
        }

        @Test
        void failsTheCommitsOfAFailedSyncWithTheMappedError() {
            GroupCommitter.Syncer syncer = () -> {
                throw new IOException("disk gone");
            };
            try (GroupCommitter subject = new GroupCommitter("test", StoreOptions.defaults(), new CountingWriter(), syncer, GroupCommitterTest::mapped, () -> {})) {
                CompletableFuture<CommitResult> f = subject.submit(commit(1));
                assertThatThrownBy(() -> EventStore.await(f)).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("disk gone");
            }
        }

        @Test
        void tellsACommitsWrittenListenerOnceItsBatchIsWrittenBeforeTheSyncAndNeverForARefusedCommit() throws Exception {
            // s-0's batch is held in the writer until s-1 to s-3 are queued, so they make the next batch together; every sync
            // hangs until released, and the writer writes that next batch while the syncer hangs on s-0's
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch queued = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            GroupCommitter.Syncer syncer = () -> assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            GroupCommitter.BatchWriter writer = batch -> {
                if (batch.getFirst().writes().getFirst().stream().value().equals("s-0")) {
                    holding.countDown();
                    assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
                }
                return batch.stream()
                        .<BatchPlanner.Outcome>map(c -> c.writes().getFirst().stream().value().equals("s-2")
                                ? new BatchPlanner.Outcome.Refused(new StoreUnavailableException("refused", null))
                                : new BatchPlanner.Outcome.Committed(new CommitResult(List.of())))
                        .toList();
            };
            CountDownLatch written = new CountDownLatch(2);
            List<String> told = Collections.synchronizedList(new ArrayList<>());
            List<Boolean> doneWhenTold = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            try (GroupCommitter subject = new GroupCommitter("test", StoreOptions.defaults(), writer, syncer, GroupCommitterTest::mapped, () -> {})) {
                CompletableFuture<CommitResult> held = subject.submit(commit(0));
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i <= 3; i++) {
                    String name = "s-" + i;
                    CompletableFuture<CommitResult> f = new CompletableFuture<>();
                    futures.add(subject.submit(commit(i), result -> {
                        told.add(name);
                        doneWhenTold.add(f.isDone());
                        written.countDown();
                    }).whenComplete((r, e) -> f.complete(r)));
                }
                queued.countDown();
                assertThat(written.await(10, TimeUnit.SECONDS)).as("told while the sync still hangs").isTrue();
                assertThat(futures).noneMatch(CompletableFuture::isDone);
                release.countDown();
                EventStore.await(held);
                EventStore.await(futures.get(0));
                assertThatThrownBy(() -> EventStore.await(futures.get(1))).hasMessageContaining("refused");
                EventStore.await(futures.get(2));
            }
            assertThat(told).containsExactlyInAnyOrder("s-1", "s-3");
            assertThat(doneWhenTold).containsOnly(false);
        }

        @Test
        void writesAndSyncsTheQueuedCommitsOnClose() {
            AtomicInteger syncs = new AtomicInteger();
            List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
            try (GroupCommitter subject = new GroupCommitter("test", StoreOptions.defaults(), new CountingWriter(), syncs::incrementAndGet,
                    GroupCommitterTest::mapped, () -> {})) {
                for (int i = 0; i < 100; i++) {
                    futures.add(subject.submit(commit(i)));
                }
            }
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(syncs.get()).isPositive();
        }
    }

    @Test
    void withoutASyncerTellsAWrittenListenerJustBeforeTheCommitsFutureCompletes() throws Exception {
        AtomicInteger told = new AtomicInteger();
        try (GroupCommitter subject = new GroupCommitter("test", StoreOptions.defaults(), new CountingWriter(), GroupCommitterTest::mapped, () -> {})) {
            CompletableFuture<CommitResult> f = subject.submit(commit(1), result -> told.incrementAndGet());
            CompletableFuture<Integer> toldWhenDone = f.thenApply(r -> told.get());
            assertThat(toldWhenDone.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void cutsBatchesAtTheEventLimitAndWritesEveryQueuedCommitOnceInOrder() throws Exception {
        int maxEvents = 10; // commits of 3 events: a batch takes commits until it holds 10 or more, so 4 of them
        StoreOptions options = new StoreOptions(InstantSource.system(), StoreOptions.DEFAULT_MAX_PAYLOAD_BYTES, maxEvents, 1_000,
                Duration.ZERO, 10_000);
        CountDownLatch firstBatchHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommitter.BatchWriter writer = batch -> {
            if (batches.isEmpty()) {
                firstBatchHeld.countDown();
                release.await(); // the rest queue up meanwhile, and the writer then takes them all from the queue at once
            }
            List<Integer> ids = new ArrayList<>();
            List<BatchPlanner.Outcome> outcomes = new ArrayList<>();
            for (Commit c : batch) {
                ids.add(Integer.valueOf(c.writes().getFirst().stream().value().substring("s-".length())));
                outcomes.add(new BatchPlanner.Outcome.Committed(new CommitResult(List.of())));
            }
            batches.add(ids);
            return outcomes;
        };
        List<CompletableFuture<CommitResult>> futures = new ArrayList<>();
        try (GroupCommitter subject = new GroupCommitter("test", options, writer, GroupCommitterTest::mapped, () -> {})) {
            futures.add(subject.submit(threeEvents(0)));
            assertThat(firstBatchHeld.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 50; i++) {
                futures.add(subject.submit(threeEvents(i)));
            }
            release.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(IntStream.rangeClosed(0, 50).boxed().toList());
        assertThat(batches.subList(1, batches.size())).allSatisfy(b -> assertThat(b.size()).isBetween(1, 4));
        assertThat(batches.size()).isGreaterThanOrEqualTo(1 + 50 / 4);
    }

    private static Commit threeEvents(int i) {
        return Commit.of(StreamId.of("s", i), ExpectedVersion.any(), List.of(NewEvent.json("Noted", 1), NewEvent.json("Noted", 2), NewEvent.json("Noted", 3)));
    }
}
