package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGroupCommitTest {

    @TempDir
    Path dir;

    SqliteEventStore subject;

    @BeforeEach
    void open() {
        subject = SqliteEventStore.open(dir.resolve("events.db"), StoreOptions.defaults());
    }

    @AfterEach
    void close() {
        subject.close();
    }

    private static NewEvent event(String body) {
        return NewEvent.json("Noted", body);
    }

    @Nested
    class ConcurrentAppenders {

        @Test
        void shareTransactionsSoThereAreFarFewerTransactionsThanCommits() throws Exception {
            int appenders = 64;
            int commitsEach = 20;
            long transactionsBefore = subject.transactions();
            long syncsBefore = subject.syncs(); // opening synced the index of the tail once
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int a = 0; a < appenders; a++) {
                    StreamId stream = StreamId.of("appender", a);
                    running.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < commitsEach; i++) {
                            subject.append(stream, ExpectedVersion.exactly(i), List.of(event("e" + i)));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : running) {
                    f.get();
                }
            }

            long commits = (long) appenders * commitsEach;
            long transactions = subject.transactions() - transactionsBefore;
            assertThat(subject.lastPosition()).isEqualTo(commits);
            assertThat(transactions).isPositive().isLessThan(commits / 4);
            assertThat(subject.syncs() - syncsBefore).isPositive().isLessThanOrEqualTo(transactions);
        }

        @Test
        void aContinuationOnACommitsFutureCanReadAndCommitWhileOthersAreWritten() throws Exception {
            // A continuation without *Async runs where the future completes: it must not hold up the sync it waits for.
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int a = 0; a < 16; a++) {
                    StreamId stream = StreamId.of("busy", a);
                    running.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            subject.append(stream, ExpectedVersion.exactly(i), List.of(event("e" + i)));
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < 50; i++) {
                    StreamId reader = StreamId.of("reader", i);
                    CompletableFuture<List<RecordedEvent>> read = subject.commitAsync(Commit.of(reader, ExpectedVersion.noStream(), List.of(event("r"))))
                            .thenApply(r -> {
                                subject.append(reader, ExpectedVersion.exactly(1), List.of(event("then")));
                                return subject.readStream(reader, 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10);
                            });
                    assertThat(read.get(20, java.util.concurrent.TimeUnit.SECONDS)).extracting(RecordedEvent::version).containsExactly(1L, 2L);
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
        }
    }

    @Nested
    class AnInboxKeyTheWriterDidNotLookUp {

        @Test
        void isCaughtByThePrimaryKeyAndOnlyItsCommitIsRefusedAsADuplicateMessage() {
            UUID message = UUID.randomUUID();
            subject.commit(Commit.builder().append(StreamId.of("a", 1), ExpectedVersion.noStream(), List.of(event("first")))
                    .inbox(InboxEntry.of("consumer", message)).build());
            long replansBefore = subject.replans();

            CompletableFuture<CommitResult> before = subject.commitAsync(Commit.of(StreamId.of("b", 1), ExpectedVersion.noStream(), List.of(event("b"))));
            CompletableFuture<CommitResult> again = subject.commitAsync(Commit.builder()
                    .append(StreamId.of("c", 1), ExpectedVersion.noStream(), List.of(event("c"))).inbox(InboxEntry.of("consumer", message)).build());
            CompletableFuture<CommitResult> after = subject.commitAsync(Commit.of(StreamId.of("d", 1), ExpectedVersion.noStream(), List.of(event("d"))));

            assertThat(EventStore.await(before).appends().getFirst().written()).isTrue();
            assertThat(EventStore.await(after).appends().getFirst().written()).isTrue();
            assertThatThrownBy(() -> EventStore.await(again)).isInstanceOf(DuplicateMessageException.class);
            assertThat(subject.replans()).isGreaterThan(replansBefore);
            assertThat(subject.streamVersion(StreamId.of("c", 1))).isZero();
            assertThat(subject.findInbox("consumer", List.of(message))).containsOnlyKeys(message);
        }
    }

    @Nested
    class AnEventIdTheWriterDidNotLookUp {

        @Test
        void isCaughtByTheUniqueIndexAndOnlyItsCommitIsRefused() {
            NewEvent stored = event("first");
            AppendResult original = subject.append(StreamId.of("a", 1), ExpectedVersion.noStream(), List.of(stored));

            // Pipelined so the three commits are likely to share one batch; the outcome must not depend on it.
            CompletableFuture<CommitResult> before = subject.commitAsync(Commit.of(StreamId.of("b", 1), ExpectedVersion.noStream(), List.of(event("b"))));
            CompletableFuture<CommitResult> duplicate = subject.commitAsync(Commit.of(StreamId.of("c", 1), ExpectedVersion.noStream(), List.of(stored)));
            CompletableFuture<CommitResult> after = subject.commitAsync(Commit.of(StreamId.of("d", 1), ExpectedVersion.noStream(), List.of(event("d"))));

            assertThat(EventStore.await(before).appends().getFirst().written()).isTrue();
            assertThat(EventStore.await(after).appends().getFirst().written()).isTrue();
            assertThatThrownBy(() -> EventStore.await(duplicate))
                    .isInstanceOfSatisfying(DuplicateEventException.class, e -> assertThat(e.eventId()).isEqualTo(stored.id()));
            assertThat(subject.replans()).isPositive();
            assertThat(subject.streamVersion(StreamId.of("c", 1))).isZero();
            assertThat(subject.readAll(0, 10)).extracting(RecordedEvent::position).containsExactly(1L, 2L, 3L);
            assertThat(subject.readAll(0, 1).getFirst().position()).isEqualTo(original.lastPosition());
        }

        @Test
        void leavesNoTraceInStreamReadsWhenItsPositionsGoToAnotherStream() {
            NewEvent stored = event("first");
            subject.append(StreamId.of("a", 1), ExpectedVersion.noStream(), List.of(stored));
            StreamId c = StreamId.of("c", 1);
            subject.append(c, ExpectedVersion.noStream(), List.of(event("c1")));

            // The refused commit to c is planned at position 3 first, then the batch is planned again without it.
            CompletableFuture<CommitResult> duplicate = subject.commitAsync(Commit.of(c, ExpectedVersion.any(), List.of(event("c2"), stored)));
            CompletableFuture<CommitResult> after = subject.commitAsync(Commit.of(StreamId.of("d", 1), ExpectedVersion.noStream(), List.of(event("d"))));

            assertThatThrownBy(() -> EventStore.await(duplicate)).isInstanceOf(DuplicateEventException.class);
            assertThat(EventStore.await(after).appends().getFirst().written()).isTrue();
            assertThat(subject.readStream(c, 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10)).extracting(RecordedEvent::position).containsExactly(2L);
            assertThat(subject.readStream(c, 5, dev.tandem.eventstore.ReadDirection.BACKWARD, 10)).extracting(RecordedEvent::position).containsExactly(2L);
            assertThat(subject.readStream(StreamId.of("d", 1), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10))
                    .extracting(RecordedEvent::position).containsExactly(EventStore.await(after).appends().getFirst().lastPosition());
        }
    }
}
