package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The batch writer's PostgreSQL-specific paths: the unique-index re-plan and notifying other processes. */
class PostgresWriterIT {

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

    @Nested
    class WhenANewEventReusesAStoredIdUnderAMatchingExpectedVersion {

        @Test
        void onlyThatCommitIsRefusedAndTheRestOfItsBatchIsWritten() {
            try (PostgresEventStore subject = open("reused_id")) {
                NewEvent stored = NewEvent.json("Opened", "first");
                subject.append(StreamId.of("original"), ExpectedVersion.noStream(), List.of(stored));
                List<CompletableFuture<CommitResult>> pipelined = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    pipelined.add(subject.commitAsync(Commit.of(StreamId.of("before-" + i), ExpectedVersion.noStream(), List.of(NewEvent.json("A", i)))));
                }
                CompletableFuture<CommitResult> reusing = subject.commitAsync(Commit.of(StreamId.of("copy"), ExpectedVersion.noStream(),
                        List.of(NewEvent.json("B", "fresh"), stored)));
                for (int i = 0; i < 20; i++) {
                    pipelined.add(subject.commitAsync(Commit.of(StreamId.of("after-" + i), ExpectedVersion.noStream(), List.of(NewEvent.json("C", i)))));
                }

                assertThat(reusing).failsWithin(Duration.ofSeconds(20)).withThrowableThat().havingCause()
                        .isInstanceOfSatisfying(DuplicateEventException.class, d -> assertThat(d.eventId()).isEqualTo(stored.id()));
                pipelined.forEach(f -> assertThat(EventStore.await(f).appends().getFirst().written()).isTrue());
                assertThat(subject.streamVersion(StreamId.of("copy"))).isZero();
                assertThat(subject.readAll(0, 100)).hasSize(41).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    @Nested
    class AfterADurableBatch {

        @Test
        void wakesTheListenersOfOtherProcessesOnTheSameSchemaOnly() {
            AtomicInteger sameSchema = new AtomicInteger();
            AtomicInteger otherSchema = new AtomicInteger();
            NotificationListener same = new NotificationListener(database.dataSource(), "notifying", sameSchema::incrementAndGet).start();
            NotificationListener other = new NotificationListener(database.dataSource(), "bystander", otherSchema::incrementAndGet).start();
            try (PostgresEventStore subject = open("notifying"); PostgresEventStore bystander = open("bystander")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> sameSchema.get() >= 1 && otherSchema.get() >= 1); // both connected
                int sameBefore = sameSchema.get();
                int otherBefore = otherSchema.get();

                subject.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Happened", 1)));

                await().atMost(Duration.ofSeconds(10)).until(() -> sameSchema.get() > sameBefore);
                assertThat(otherSchema.get()).isEqualTo(otherBefore);
                assertThat(bystander.lastPosition()).isZero();
            } finally {
                same.close();
                other.close();
            }
        }
    }
}
