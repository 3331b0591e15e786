package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Proves that a subscriber never skips an event: a batch that takes a higher position cannot become
 * visible before one that took a lower position, even across processes.
 */
class PostgresNoSkipIT {

    private static TestDatabase database;

    @BeforeAll
    static void database() {
        database = TestPostgres.freshDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static PostgresEventStore open(String schema) {
        return PostgresEventStore.open(database.jdbcUrl(), database.user(), database.password(), schema, StoreOptions.defaults());
    }

    private static NewEvent event(String body) {
        return new NewEvent(NewEvent.newId(), "Happened", body.getBytes(StandardCharsets.UTF_8), "text/plain", Metadata.EMPTY, null);
    }

    @Nested
    class WhenAnotherWritersBatchHoldsPositionTenUncommitted {

        @Test
        void anAppendWaitsForItAndReadersSeeTenBeforeElevenAndNothingSkipped() throws Exception {
            try (PostgresEventStore subject = open("held_batch")) {
                subject.append(StreamId.of("early"), ExpectedVersion.noStream(), List.of(event("1"), event("2"), event("3"), event("4"),
                        event("5"), event("6"), event("7"), event("8"), event("9")));
                List<RecordedEvent> delivered = Collections.synchronizedList(new ArrayList<>());
                try (Subscription subscriber = subject.subscribe(SubscriptionRequest.fromPosition("observer", 0), delivered::addAll);
                        Connection foreign = database.connect()) {
                    assertThat(subscriber.awaitPosition(9, Duration.ofSeconds(10))).isTrue();

                    // Another process's batch transaction: it takes the lock, reads the highest position and inserts position 10.
                    foreign.setAutoCommit(false);
                    lock(foreign, "held_batch");
                    assertThat(highestPosition(foreign, "held_batch")).isEqualTo(9);
                    RecordedEvent ten = new RecordedEvent(NewEvent.newId(), StreamId.of("foreign"), 1, 10, "Happened",
                            "10".getBytes(StandardCharsets.UTF_8), "text/plain", Metadata.EMPTY, null, Instant.parse("2026-01-01T00:00:00Z"));
                    EventRows.insertEvents(foreign, "held_batch.events", List.of(ten), ten.timestamp());

                    CompletableFuture<CommitResult> eleven = subject.commitAsync(Commit.of(StreamId.of("late"), ExpectedVersion.noStream(), List.of(event("11"))));
                    await().atMost(Duration.ofSeconds(10)).until(() -> waitersOnAdvisoryLocks() >= 1);

                    assertThat(eleven).isNotDone();
                    assertThat(subject.readAll(0, 100)).extracting(RecordedEvent::position).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
                    assertThat(subject.lastPosition()).isEqualTo(9);

                    foreign.commit();

                    AppendResult appended = EventStore.await(eleven).appends().getFirst();
                    assertThat(appended.firstPosition()).isEqualTo(11);
                    assertThat(subject.readAll(0, 100)).extracting(RecordedEvent::position).containsExactlyElementsOf(range(1, 11));
                    assertThat(subscriber.awaitPosition(11, Duration.ofSeconds(10))).isTrue();
                    assertThat(delivered).extracting(RecordedEvent::position).containsExactlyElementsOf(range(1, 11));
                    assertThat(delivered.get(9).id()).isEqualTo(ten.id());
                }
            }
        }
    }

    @Nested
    class WhenTwoStoresWriteOneSchemaConcurrently {

        @Test
        void aSubscriberOfAThirdSeesEveryPositionOnceInOrderWithoutGaps() throws Exception {
            try (PostgresEventStore first = open("shared");
                    PostgresEventStore second = open("shared");
                    PostgresEventStore observer = open("shared")) {
                List<Long> seenPositions = Collections.synchronizedList(new ArrayList<>());
                int writersPerStore = 8;
                int appendsPerWriter = 25;
                try (Subscription subscriber = observer.subscribe(SubscriptionRequest.fromPosition("observer", 0).withBatchSize(17),
                        batch -> batch.forEach(e -> seenPositions.add(e.position())))) {
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        List<Future<?>> futures = new ArrayList<>();
                        for (PostgresEventStore store : List.of(first, second)) {
                            for (int w = 0; w < writersPerStore; w++) {
                                StreamId s = StreamId.of("writer", store.hashCode() + "-" + w);
                                futures.add(pool.submit(() -> {
                                    for (int i = 0; i < appendsPerWriter; i++) {
                                        store.append(s, ExpectedVersion.exactly(i * 2L), List.of(event("a"), event("b")));
                                    }
                                    return null;
                                }));
                            }
                        }
                        for (Future<?> f : futures) {
                            f.get();
                        }
                    }
                    long total = 2L * writersPerStore * appendsPerWriter * 2;
                    assertThat(observer.lastPosition()).isEqualTo(total);
                    assertThat(subscriber.awaitPosition(total, Duration.ofSeconds(20))).isTrue();
                    assertThat(seenPositions).containsExactlyElementsOf(range(1, total));
                }
            }
        }
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static void lock(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, PostgresSchema.LOCK_CLASS);
            ps.setInt(2, PostgresSchema.lockKey(schema));
            ps.execute();
        }
    }

    private static long highestPosition(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(position), 0) FROM " + schema + ".events");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long waitersOnAdvisoryLocks() throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                        + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
