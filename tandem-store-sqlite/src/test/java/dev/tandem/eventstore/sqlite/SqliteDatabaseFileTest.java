package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.ClosedException;
import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseFileTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("events.db");
    }

    private static NewEvent event(int i) {
        return NewEvent.json("Deposited", new Deposit(i));
    }

    record Deposit(int amount) {}

    @Nested
    class WhenReopened {

        @Test
        void keepsEveryEventInboxRecordCheckpointAndSnapshotAndGoesOnFromTheLastPosition() {
            StreamId account = StreamId.of("account", 1);
            UUID message = UUID.randomUUID();
            List<RecordedEvent> before;
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                subject.append(account, ExpectedVersion.noStream(), List.of(event(1), event(2)));
                subject.commit(Commit.builder().append(account, ExpectedVersion.exactly(2), List.of(event(3)))
                        .inbox(new InboxEntry("bank-b", message, new byte[] {7})).checkpoint("relay", 3).build());
                subject.saveSnapshot(new Snapshot(account, 3, "Balance", new byte[] {6}));
                before = subject.readAll(0, 100);
            }

            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.readAll(0, 100)).isEqualTo(before);
                assertThat(subject.findInbox("bank-b", message)).hasValueSatisfying(r -> assertThat(r.result()).containsExactly(7));
                assertThat(subject.loadCheckpoint("relay")).hasValue(3);
                assertThat(subject.loadSnapshot(account)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(3));
                assertThat(subject.append(account, ExpectedVersion.exactly(3), List.of(event(4))).firstPosition()).isEqualTo(4);
            }
        }
    }

    @Nested
    class CheckpointsBesideTheWriter {

        @Test
        void copiesWhatWasCommittedIntoTheDatabaseFileSoonAfterwardsLongBeforeTheWritersOwnCheckpoint() throws Exception {
            StreamId account = StreamId.of("account", 1);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                for (int i = 0; i < 50; i++) {
                    subject.append(account, i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(i), List.of(event(i)));
                }
                // 50 small commits are a few dozen WAL pages: the writer's own checkpoint waits for 10,000. The database
                // file alone (a copy of it, without its WAL) holds them once the checkpointer has run after them.
                Path copy = dir.resolve("copy.db");
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                    Files.copy(file(), copy, StandardCopyOption.REPLACE_EXISTING);
                    Files.deleteIfExists(dir.resolve("copy.db-wal"));
                    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                            Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM events")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(50);
                        assertThat(rs.getLong(2)).isEqualTo(50);
                    }
                });
                assertThat(subject.checkpointsBesideTheWriter()).isPositive();
                assertThat(subject.readStream(account, 1, ReadDirection.FORWARD, 100)).hasSize(50);
            }
        }
    }

    @Nested
    class RefusesAFileItCannotUse {

        @Test
        void refusesAFileOfRandomBytesAsIncompatible() throws Exception {
            byte[] noise = new byte[8192];
            new Random(42).nextBytes(noise);
            Files.write(file(), noise);

            assertThatThrownBy(() -> SqliteEventStore.open(file(), StoreOptions.defaults()))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining(file().getFileName().toString());
            assertThat(Files.readAllBytes(file())).isEqualTo(noise);
        }

        @Test
        void refusesAnotherApplicationsDatabaseAndLeavesItUntouched() throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
                s.execute("INSERT INTO customers (name) VALUES ('Ada')");
            }

            assertThatThrownBy(() -> SqliteEventStore.open(file(), StoreOptions.defaults()))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("another application")
                    .hasMessageContaining("customers");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement();
                    ResultSet mode = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(mode.next()).isTrue();
                assertThat(mode.getString(1)).isEqualToIgnoringCase("delete");
            }
        }

        @Test
        void refusesAStoreWrittenByANewerSchemaVersion() throws Exception {
            SqliteEventStore.open(file(), StoreOptions.defaults()).close();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
                s.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
            }

            assertThatThrownBy(() -> SqliteEventStore.open(file(), StoreOptions.defaults()))
                    .isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("schema version " + (SqliteSchema.VERSION + 1))
                    .hasMessageContaining("newer");
        }

        @Test
        void reportsAPlaceItCannotCreateTheDatabaseInAsUnavailable() throws Exception {
            Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

            assertThatThrownBy(() -> SqliteEventStore.open(notADirectory.resolve("events.db"), StoreOptions.defaults()))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.isTransient()).isTrue());
        }

        @Test
        void reportsADirectoryInPlaceOfTheFileAsUnavailable() throws Exception {
            Files.createDirectories(file());

            assertThatThrownBy(() -> SqliteEventStore.open(file(), StoreOptions.defaults()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(file().toString());
        }
    }

    @Nested
    class SharedWithOtherConnections {

        @Test
        void readsWhileAnotherConnectionHoldsTheWriteLockAndCommitsOnceItIsReleased() throws Exception {
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults());
                    Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
                    Statement lock = other.createStatement()) {
                StreamId s = StreamId.of("account", 1);
                subject.append(s, ExpectedVersion.noStream(), List.of(event(1), event(2)));
                lock.execute("BEGIN IMMEDIATE");

                CompletableFuture<CommitResult> waiting = subject.commitAsync(Commit.of(s, ExpectedVersion.exactly(2), List.of(event(3))));
                assertThat(subject.readStream(s, 1, ReadDirection.FORWARD, 10)).hasSize(2);
                assertThat(waiting).isNotDone();
                lock.execute("ROLLBACK");

                assertThat(EventStore.await(waiting).appends().getFirst().lastVersion()).isEqualTo(3);
            }
        }

        @Test
        void aSubscriptionSeesAppendsMadeThroughAnotherStoreOnTheSameFile() throws Exception {
            try (SqliteEventStore reader = SqliteEventStore.open(file(), StoreOptions.defaults());
                    SqliteEventStore writer = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
                try (Subscription subscription = reader.subscribe(SubscriptionRequest.fromPosition("other-process", 0), seen::addAll)) {
                    AppendResult appended = writer.append(StreamId.of("account", 2), ExpectedVersion.noStream(), List.of(event(1), event(2)));

                    assertThat(subscription.awaitPosition(appended.lastPosition(), Duration.ofSeconds(20))).isTrue();
                    assertThat(seen).extracting(RecordedEvent::version).containsExactly(1L, 2L);
                }
            }
        }

        /**
         * Each store serves the tail its own writer committed from memory; with two writers interleaving on the file,
         * a subscription on either must still see every position once, in order (none skipped at a run's edge).
         */
        @Test
        void subscriptionsOnTwoStoresWritingConcurrentlyEachSeeEveryEventOnceInOrder() throws Exception {
            int perStore = 600;
            try (SqliteEventStore one = SqliteEventStore.open(file(), StoreOptions.defaults());
                    SqliteEventStore two = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                List<RecordedEvent> seenByOne = Collections.synchronizedList(new ArrayList<>());
                List<RecordedEvent> seenByTwo = Collections.synchronizedList(new ArrayList<>());
                try (Subscription a = one.subscribe(SubscriptionRequest.fromPosition("one", 0).withBatchSize(7), seenByOne::addAll);
                        Subscription b = two.subscribe(SubscriptionRequest.fromPosition("two", 0).withBatchSize(7), seenByTwo::addAll)) {
                    CompletableFuture<Void> writingOne = CompletableFuture.runAsync(() -> appendMany(one, "one", perStore));
                    CompletableFuture<Void> writingTwo = CompletableFuture.runAsync(() -> appendMany(two, "two", perStore));
                    writingOne.get(60, TimeUnit.SECONDS);
                    writingTwo.get(60, TimeUnit.SECONDS);
                    long last = one.lastPosition();
                    assertThat(last).isEqualTo(2L * perStore);

                    assertThat(a.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
                    assertThat(b.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
                }
                List<Long> all = LongStream.rangeClosed(1, 2L * perStore).boxed().toList();
                assertThat(seenByOne).extracting(RecordedEvent::position).containsExactlyElementsOf(all);
                assertThat(seenByTwo).extracting(RecordedEvent::position).containsExactlyElementsOf(all);
                assertThat(seenByOne).isEqualTo(one.readAll(0, 10_000)).isEqualTo(two.readAll(0, 10_000));
            }
        }

        /** Appends {@code n} events in commits of 1 to 3, several in flight, to streams of its own. */
        private static void appendMany(SqliteEventStore store, String prefix, int n) {
            Random random = new Random(prefix.hashCode());
            List<CompletableFuture<CommitResult>> pending = new ArrayList<>();
            int written = 0;
            for (int stream = 0; written < n; stream++) {
                int size = Math.min(n - written, 1 + random.nextInt(3));
                List<NewEvent> events = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    events.add(event(written + i));
                }
                pending.add(store.commitAsync(Commit.of(StreamId.of(prefix, stream), ExpectedVersion.noStream(), events)));
                written += size;
                if (pending.size() >= 16) {
                    pending.forEach(EventStore::await);
                    pending.clear();
                }
            }
            pending.forEach(EventStore::await);
        }

        @Test
        void twoStoresOnOneFileSeeEachOthersStreamsAndVersions() {
            try (SqliteEventStore one = SqliteEventStore.open(file(), StoreOptions.defaults());
                    SqliteEventStore two = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                StreamId s = StreamId.of("account", 3);
                one.append(s, ExpectedVersion.noStream(), List.of(event(1), event(2)));

                // two's own index of the unindexed events knows nothing of one's appends: it must read them anyway
                assertThat(two.streamVersion(s)).isEqualTo(2);
                assertThat(two.readStream(s, 1, ReadDirection.FORWARD, 10)).extracting(RecordedEvent::version).containsExactly(1L, 2L);
                // and its writer must plan on them: an append expecting version 0 conflicts, one expecting 2 goes on
                assertThatThrownBy(() -> two.append(s, ExpectedVersion.noStream(), List.of(event(3))))
                        .isInstanceOf(dev.tandem.eventstore.StreamVersionConflict.class);
                assertThat(two.append(s, ExpectedVersion.exactly(2), List.of(event(3))).lastVersion()).isEqualTo(3);

                assertThat(one.streamVersion(s)).isEqualTo(3);
                assertThat(one.readStream(s, 3, ReadDirection.BACKWARD, 10)).extracting(RecordedEvent::version).containsExactly(3L, 2L, 1L);
                assertThat(one.append(s, ExpectedVersion.exactly(3), List.of(event(4))).lastVersion()).isEqualTo(4);

                // each store's writer keeps the events it committed last; the log read from either holds both writers'
                assertThat(one.readAll(0, 10)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L);
                assertThat(one.readAll(2, 10)).extracting(RecordedEvent::version).containsExactly(3L, 4L);
                assertThat(two.readAll(2, 10)).extracting(RecordedEvent::version).containsExactly(3L, 4L);
                assertThat(two.readAll(3, 10)).extracting(RecordedEvent::version).containsExactly(4L);
            }
        }
    }

    @Nested
    class AfterClose {

        @Test
        void refusesEveryOperationWithClosedException() {
            SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults());
            StreamId s = StreamId.of("account", 1);
            subject.append(s, ExpectedVersion.any(), List.of(event(1)));
            subject.close();
            subject.close(); // closing twice is harmless

            assertThatThrownBy(() -> subject.streamVersion(s)).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.lastPosition()).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.loadSnapshot(s)).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.saveSnapshot(new Snapshot(s, 1, "S", new byte[0]))).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> subject.subscribe(SubscriptionRequest.fromPosition("late", 0), events -> {}))
                    .isInstanceOf(ClosedException.class);
        }
    }
}
