package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.TimeOrderedUuids;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.testkit.eventstore.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite inbox keeps no index on every record's time: records of time-ordered (version 7) ids are purged by a range
 * of the key, the others through a partial index. Whatever the id, a record goes only once it is older than the cutoff.
 */
class SqliteInboxTest {

    private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);

    private Path file() {
        return dir.resolve("inbox.db");
    }

    private SqliteEventStore open() {
        return SqliteEventStore.open(file(), StoreOptions.defaults().withClock(clock));
    }

    private final SplittableRandom seeds = new SplittableRandom(7);

    /** A version 7 id made by a clock at {@code at}. */
    private UUID timeOrderedId(Instant at) {
        return new TimeOrderedUuids(() -> at, seeds.split()).next();
    }

    private static void record(SqliteEventStore store, String consumer, UUID... ids) {
        Commit.Builder c = Commit.builder();
        for (UUID id : ids) {
            c.inbox(new InboxEntry(consumer, id, id.toString().getBytes(StandardCharsets.UTF_8)));
        }
        store.commit(c.build());
    }

    @Test
    void purgesEveryRecordOlderThanTheCutoffWhateverItsIdAndKeepsTheYoungerOnes() {
        UUID oldOrdered = timeOrderedId(START);
        UUID oldRandom = UUID.randomUUID();
        UUID oldNamed = UUID.nameUUIDFromBytes("old".getBytes(StandardCharsets.UTF_8));
        UUID lateOrdered = timeOrderedId(START); // made at START, delivered two hours late
        UUID recentOrdered = timeOrderedId(START.plus(Duration.ofHours(2)));
        UUID recentRandom = UUID.randomUUID();
        try (SqliteEventStore subject = open()) {
            record(subject, "a", oldOrdered, oldRandom);
            record(subject, "b", oldNamed, oldOrdered);
            clock.advance(Duration.ofHours(2));
            record(subject, "a", lateOrdered, recentOrdered, recentRandom);

            assertThat(subject.purgeInbox(START.plus(Duration.ofHours(1)))).isEqualTo(4);

            assertThat(subject.findInbox("a", List.of(oldOrdered, oldRandom, lateOrdered, recentOrdered, recentRandom)))
                    .containsOnlyKeys(lateOrdered, recentOrdered, recentRandom);
            assertThat(subject.findInbox("b", List.of(oldNamed, oldOrdered))).isEmpty();
            assertThat(subject.findInbox("a", lateOrdered)).hasValueSatisfying(r -> {
                assertThat(r.recordedAt()).isEqualTo(START.plus(Duration.ofHours(2)));
                assertThat(new String(r.result(), StandardCharsets.UTF_8)).isEqualTo(lateOrdered.toString());
            });
            assertThat(subject.purgeInbox(START.plus(Duration.ofHours(1)))).as("nothing left to purge at that cutoff").isZero();
        }
    }

    @Test
    void keepsATimeOrderedIdFromAClockAheadUntilTheCutoffPassesItsTimeToo() {
        UUID ahead = timeOrderedId(START.plus(Duration.ofHours(3))); // the sender's clock runs three hours ahead
        try (SqliteEventStore subject = open()) {
            record(subject, "a", ahead);
            clock.advance(Duration.ofHours(2));

            assertThat(subject.purgeInbox(START.plus(Duration.ofHours(1)))).isZero();
            assertThat(subject.findInbox("a", ahead)).isPresent();

            assertThat(subject.purgeInbox(START.plus(Duration.ofHours(3)).plusMillis(1))).isEqualTo(1);
            assertThat(subject.findInbox("a", ahead)).isEmpty();
        }
    }

    @Test
    void aRecordStillRefusesItsMessageTwiceForTheSameConsumerAndNotForAnother() {
        UUID id = timeOrderedId(START);
        try (SqliteEventStore subject = open()) {
            record(subject, "a", id);
            record(subject, "b", id);

            assertThatThrownBy(() -> record(subject, "a", id))
                    .isInstanceOf(DuplicateMessageException.class);
            assertThat(subject.findInbox("a", id)).isPresent();
            assertThat(subject.findInbox("b", id)).isPresent();
        }
    }

    @Test
    void purgesByARangeOfTheKeyAndByThePartialIndexNeverByScanningTheTable() throws Exception {
        open().close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            assertThat(plan(c, SqliteWriter.PURGE_ORDERED_SLICE_END)).contains("SEARCH inbox USING PRIMARY KEY (message_id>? AND message_id<?)");
            assertThat(plan(c, SqliteWriter.PURGE_INBOX_ORDERED)).contains("SEARCH inbox USING PRIMARY KEY (message_id>? AND message_id<?)");
            assertThat(plan(c, SqliteWriter.PURGE_UNORDERED_SLICE_END))
                    .contains("SEARCH inbox USING COVERING INDEX inbox_unordered_recorded_at (recorded_at>? AND recorded_at<?)");
            assertThat(plan(c, SqliteWriter.PURGE_INBOX_UNORDERED)).contains("SEARCH inbox USING INDEX inbox_unordered_recorded_at (recorded_at>? AND recorded_at<?)");
            assertThat(plan(c, WriterLookup.INBOX_BY_KEY)).contains("SEARCH inbox USING PRIMARY KEY (message_id=? AND consumer=?)");
        }
    }

    @Test
    void purgesMoreThanASliceOfEitherKindOfIdOneSliceAtATime() {
        int ordered = SqliteWriter.PURGE_SLICE * 5 / 2;
        int unordered = SqliteWriter.PURGE_SLICE * 3 / 2; // all recorded at one instant: more than a slice there
        List<UUID> young = new ArrayList<>();
        try (SqliteEventStore subject = open()) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < ordered; i++) {
                ids.add(timeOrderedId(START.plusMillis(i % 7)));
            }
            for (int i = 0; i < unordered; i++) {
                ids.add(UUID.randomUUID());
            }
            for (int from = 0; from < ids.size(); from += 1_000) {
                record(subject, "a", ids.subList(from, Math.min(ids.size(), from + 1_000)).toArray(UUID[]::new));
            }
            clock.advance(Duration.ofHours(2));
            young.add(timeOrderedId(START)); // made early, delivered late: stays
            young.add(UUID.randomUUID());
            record(subject, "a", young.toArray(UUID[]::new));

            long before = subject.transactions();
            assertThat(subject.purgeInbox(START.plus(Duration.ofHours(1)))).isEqualTo(ordered + unordered);
            assertThat(subject.transactions() - before).as("a transaction per slice: at least 3 for the ordered ids, 1 for the rest")
                    .isGreaterThanOrEqualTo(4);

            assertThat(subject.findInbox("a", ids.subList(0, 50))).isEmpty();
            assertThat(subject.findInbox("a", ids.subList(ids.size() - 50, ids.size()))).isEmpty();
            assertThat(subject.findInbox("a", young)).containsOnlyKeys(young);
        }
    }

    private static String plan(Connection c, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql.replace("?", "NULL"))) {
            while (rs.next()) {
                steps.add(rs.getString("detail"));
            }
        }
        return String.join("; ", steps);
    }

    @Test
    void theBoundOfAMillisecondSortsAboveEveryIdOfEarlierMillisecondsAndBelowItsOwn() {
        Instant t = START.plusMillis(123);
        byte[] bound = SqliteWriter.idsBefore(t.toEpochMilli());
        assertThat(Arrays.compareUnsigned(EventRows.bytes(timeOrderedId(t.minusMillis(1))), bound)).isNegative();
        assertThat(Arrays.compareUnsigned(EventRows.bytes(timeOrderedId(t)), bound)).isPositive();
        assertThat(SqliteWriter.idsBefore(-5)).containsOnly(0);
    }

    @Test
    void aVersionFiveFileIsMigratedWithItsInboxRecords() throws Exception {
        UUID ordered = timeOrderedId(START);
        UUID random = UUID.randomUUID();
        try (SqliteEventStore subject = open()) {
            record(subject, "a", ordered, random);
        }
        rewriteAsVersionFive();

        try (SqliteEventStore subject = open()) {
            assertThat(subject.findInbox("a", List.of(ordered, random))).containsOnlyKeys(ordered, random)
                    .allSatisfy((id, r) -> assertThat(r).extracting(InboxRecord::recordedAt).isEqualTo(START));
            clock.advance(Duration.ofHours(2));
            assertThat(subject.purgeInbox(START.plusSeconds(1))).isEqualTo(2);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT group_concat(name) FROM sqlite_master WHERE tbl_name = 'inbox' AND type = 'index' AND sql IS NOT NULL")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("inbox_unordered_recorded_at");
        }
    }

    /** Turns the file into what version 5 wrote: the inbox keyed by (consumer, message_id) with an index on every record's time. */
    private void rewriteAsVersionFive() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE inbox RENAME TO inbox_v6");
            s.execute("CREATE TABLE inbox (consumer TEXT NOT NULL, message_id BLOB NOT NULL, result BLOB, recorded_at INTEGER NOT NULL,"
                    + " PRIMARY KEY (consumer, message_id)) WITHOUT ROWID");
            s.execute("CREATE INDEX inbox_recorded_at ON inbox (recorded_at)");
            s.execute("INSERT INTO inbox SELECT consumer, message_id, result, recorded_at FROM inbox_v6");
            s.execute("DROP TABLE inbox_v6");
            s.execute("PRAGMA user_version = 5");
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM inbox"); ResultSet rs = count.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
