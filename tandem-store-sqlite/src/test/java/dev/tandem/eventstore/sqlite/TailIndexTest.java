package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory index of unindexed events: what readers and the writer find, after rollbacks and bulk-index rounds. */
class TailIndexTest {

    @Test
    void aReaderFindsTheCommittedPositionsAndVersionOfAStreamAfterItsSnapshotsIndexedTo() {
        TailIndex tail = new TailIndex(10);
        add(tail, "a", 11, 4);
        add(tail, "b", 12, 1);
        add(tail, "a", 13, 5);
        tail.committed();

        assertThat(tail.entries("a", 10, Long.MAX_VALUE).positions()).containsExactly(11, 13);
        assertThat(tail.entries("a", 11, Long.MAX_VALUE).positions()).containsExactly(13);
        assertThat(tail.entries("b", 10, Long.MAX_VALUE).positions()).containsExactly(12);
        assertThat(tail.entries("c", 10, Long.MAX_VALUE).positions()).isEmpty();
        assertThat(tail.entries("a", 10, 13).version()).isEqualTo(5);
        assertThat(tail.entries("a", 10, 12).version()).as("a snapshot that ends at 12 holds a at version 4").isEqualTo(4);
        assertThat(tail.entries("a", 11, 12).version()).as("nothing of a after 11 up to 12").isZero();
        assertThat(tail.entries("c", 10, 13).version()).isZero();
        assertThat(tail.entries("a", 10, 12).positions()).as("13 is not in a snapshot that ends at 12").containsExactly(11);
        assertThat(tail.latestVersion("a")).isEqualTo(5);
        assertThat(tail.retainedAfter()).isEqualTo(10);
        assertThat(tail.knownThrough()).isEqualTo(13);
    }

    @Test
    void aRolledBackTransactionLeavesNothingBehindAndItsPositionsCanBeReused() {
        TailIndex tail = new TailIndex(0);
        add(tail, "a", 1, 1);
        tail.committed();
        add(tail, "a", 2, 2);
        add(tail, "b", 3, 1);
        add(tail, "a", 4, 3);
        assertThat(tail.latestVersion("a")).as("the writer plans on its own pending entries").isEqualTo(3);
        tail.rollback();
        assertThat(tail.knownThrough()).isEqualTo(1);
        add(tail, "b", 2, 1);
        tail.committed();

        assertThat(tail.entries("a", 0, Long.MAX_VALUE).positions()).containsExactly(1);
        assertThat(tail.entries("b", 0, Long.MAX_VALUE).positions()).containsExactly(2);
        assertThat(tail.latestVersion("a")).isEqualTo(1);
        assertThat(tail.size()).isEqualTo(2);
    }

    @Test
    void anotherWritersEventsCountAsCommittedAndSurviveARollback() {
        TailIndex tail = new TailIndex(5);
        tail.addCommitted("x", 6, 3);
        add(tail, "x", 7, 4);
        tail.rollback();

        assertThat(tail.entries("x", 5, Long.MAX_VALUE).positions()).containsExactly(6);
        assertThat(tail.latestVersion("x")).isEqualTo(3);
        assertThat(tail.knownThrough()).isEqualTo(6);
    }

    @Test
    void entriesOfARoundAreKeptUntilTheNextRoundSoSlightlyOlderSnapshotsStillFindThem() {
        TailIndex tail = new TailIndex(0);
        for (long p = 1; p <= 5; p++) {
            add(tail, p % 2 == 0 ? "even" : "odd", p, (p + 1) / 2);
        }
        tail.committed();
        tail.indexed(5); // the table now indexes 1..5; a snapshot from before still has indexed_to 0
        assertThat(tail.retainedAfter()).isZero();
        assertThat(tail.entries("odd", 0, Long.MAX_VALUE).positions()).containsExactly(1, 3, 5);

        add(tail, "odd", 6, 4);
        add(tail, "odd", 7, 5);
        tail.committed();
        tail.indexed(7); // the round before (1..5) goes: a snapshot older than it must scan
        assertThat(tail.retainedAfter()).isEqualTo(5);
        assertThat(tail.entries("odd", 5, Long.MAX_VALUE).positions()).containsExactly(6, 7);
        assertThat(tail.entries("even", 0, Long.MAX_VALUE).positions()).isEmpty();
        assertThat(tail.latestVersion("even")).as("the table holds it now").isZero();
        assertThat(tail.latestVersion("odd")).isEqualTo(5);
        assertThat(tail.size()).isEqualTo(2);
    }

    @Test
    void aRoundTakesTheEntriesInItsRangeStreamByStreamInIdOrder() throws Exception {
        TailIndex tail = new TailIndex(10);
        add(tail, "b", 11, 1);
        add(tail, "a", 12, 7);
        add(tail, "b", 13, 2);
        add(tail, "a", 14, 8);
        add(tail, "a", 15, 9);
        add(tail, "c", 16, 1);
        add(tail, "a", 17, 10);
        tail.committed();
        assertThat(round(tail, 11, 15)).as("positions 12 to 15").containsExactly("a 7..9", "b 2..2");
        assertThat(round(tail, 10, 17)).containsExactly("a 7..10", "b 1..2", "c 1..1");
    }

    @Test
    void aRoundItsIndexCannotVouchForAddsNothingAndSaysSo() throws Exception {
        TailIndex tail = new TailIndex(10);
        add(tail, "a", 11, 1);
        add(tail, "a", 13, 2); // position 12 is another writer's, not seen
        tail.committed();
        assertThat(round(tail, 10, 13)).isNull();
    }

    @Test
    void aRoundOfMostlyOneEventStreamsIsLeftToTheTable() throws Exception {
        TailIndex tail = new TailIndex(0);
        add(tail, "a", 1, 1);
        add(tail, "b", 2, 1);
        add(tail, "c", 3, 1);
        add(tail, "a", 4, 2);
        tail.committed();
        assertThat(round(tail, 0, 4)).as("three streams for four events").isNull();
        add(tail, "a", 5, 3);
        add(tail, "a", 6, 4);
        tail.committed();
        assertThat(round(tail, 0, 6)).containsExactly("a 1..4", "b 1..1", "c 1..1");
    }

    /** Adds one event of the open transaction, as the writer does for a batch. */
    private static void add(TailIndex tail, String stream, long position, long version) {
        tail.add(List.of(event(StreamId.of(stream), position, version)));
    }

    @Test
    void aBatchOfSeveralStreamsIsFoundStreamByStreamAndKnownThroughItsLastPosition() {
        TailIndex tail = new TailIndex(0);
        StreamId a = StreamId.of("a");
        StreamId b = StreamId.of("b");
        tail.add(List.of(event(a, 1, 1), event(a, 2, 2), event(b, 3, 1), event(StreamId.of("a"), 4, 3)));
        assertThat(tail.knownThrough()).isEqualTo(4);
        tail.committed();

        assertThat(tail.entries("a", 0, Long.MAX_VALUE).positions()).containsExactly(1, 2, 4);
        assertThat(tail.entries("b", 0, Long.MAX_VALUE).positions()).containsExactly(3);
        assertThat(tail.latestVersion("a")).isEqualTo(3);
        tail.add(List.of(event(b, 5, 2)));
        tail.rollback();
        assertThat(tail.latestVersion("b")).isEqualTo(1);
        assertThat(tail.knownThrough()).isEqualTo(4);
    }

    private static RecordedEvent event(StreamId stream, long position, long version) {
        return new RecordedEvent(UUID.randomUUID(), stream, version, position, "E", new byte[0], "application/octet-stream", Metadata.EMPTY, null,
                Instant.EPOCH);
    }

    /** Runs {@link TailIndex#index} into a table; its chunks as "stream first..last", or null when it refused. */
    private static List<String> round(TailIndex tail, long after, long upTo) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
            // with a rowid, unlike the store's, so the order of the inserts shows
            s.execute("CREATE TABLE stream_chunks (stream TEXT NOT NULL, first_version INTEGER NOT NULL, last_version INTEGER NOT NULL,"
                    + " positions BLOB NOT NULL)");
            StreamChunks.Builder chunks = new StreamChunks.Builder(c.prepareStatement(StreamChunks.INSERT));
            if (!tail.index(after, upTo, chunks)) {
                assertThat(chunks.finish()).as("rows it added before refusing").isZero();
                return null;
            }
            chunks.finish();
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT stream, first_version, last_version FROM stream_chunks ORDER BY rowid")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getLong(2) + ".." + rs.getLong(3));
                }
            }
            return rows;
        }
    }
}
