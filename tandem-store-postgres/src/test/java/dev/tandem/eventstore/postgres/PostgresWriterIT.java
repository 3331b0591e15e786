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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    class ItsPooledConnections {

        /**
         * A look-up prepared while the inbox was empty must not keep a plan made for an empty table: the store's
         * connections plan every execution (plan_cache_mode=force_custom_plan), so the same statement uses the
         * primary key once the table holds many rows.
         */
        @Test
        void planEachExecutionSoALookUpPreparedOnAnEmptyTableUsesTheIndexOnceItGrew() throws Exception {
            try (PostgresEventStore subject = open("plans"); Connection c = subject.dataSource().getConnection()) {
                String lookup = "SELECT message_id FROM plans.inbox WHERE consumer = ? AND message_id = ANY(?)";
                try (PreparedStatement ps = c.prepareStatement(lookup)) {
                    for (int i = 0; i < 12; i++) { // past the driver's and the server's thresholds for a cached generic plan
                        ps.setString(1, "orders");
                        ps.setArray(2, c.createArrayOf("uuid", new Object[] {UUID.randomUUID()}));
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isFalse();
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO plans.inbox (consumer, message_id, recorded_at, recorded_nano)"
                            + " SELECT 'orders', gen_random_uuid(), now(), 0 FROM generate_series(1, 20000)");
                    try (ResultSet rs = st.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                            + " WHERE statement = '" + lookup.replace("consumer = ?", "consumer = $1").replace("ANY(?)", "ANY($2)") + "'")) {
                        assertThat(rs.next()).as("the look-up is prepared on the server").isTrue();
                        assertThat(rs.getLong("generic_plans")).isZero();
                        assertThat(rs.getLong("custom_plans")).isGreaterThanOrEqualTo(7);
                    }
                    try (ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
                    }
                }
            }
        }
    }

    @Nested
    class AfterADurableBatch {

        @Test
        void wakesTheListenersOfOtherProcessesOnTheSameSchemaOnlyAndSendsNothingToOtherSchemas() {
            AtomicInteger sameSchema = new AtomicInteger();
            AtomicInteger otherSchema = new AtomicInteger();
            NotificationListener same = new NotificationListener(database.dataSource(), "notifying", sameSchema::incrementAndGet).start();
            NotificationListener other = new NotificationListener(database.dataSource(), "bystander", otherSchema::incrementAndGet).start();
            try (PostgresEventStore subject = open("notifying"); PostgresEventStore bystander = open("bystander")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> sameSchema.get() >= 1 && otherSchema.get() >= 1); // both connected
                int sameBefore = sameSchema.get();
                int otherBefore = otherSchema.get();
                long otherReceived = other.received();

                subject.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Happened", 1)));

                await().atMost(Duration.ofSeconds(10)).until(() -> sameSchema.get() > sameBefore);
                assertThat(otherSchema.get()).isEqualTo(otherBefore);
                assertThat(bystander.lastPosition()).isZero();

                // Notifications reach a listener in commit order: once the bystander's own append woke it, the other
                // schema's append, committed before, would have arrived too had it been sent on a channel it listens on.
                bystander.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Happened", 1)));
                await().atMost(Duration.ofSeconds(10)).until(() -> otherSchema.get() > otherBefore);
                assertThat(other.received()).as("notifications on the bystander's channel").isEqualTo(otherReceived + 1);
            } finally {
                same.close();
                other.close();
            }
        }
    }
}
