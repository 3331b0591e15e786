package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory index of unindexed events: what readers and the writer find, after rollbacks and bulk-index rounds. */
class TailIndexTest {

    @Test
    void aReaderFindsTheCommittedPositionsAndVersionOfAStreamAfterItsSnapshotsIndexedTo() {
        TailIndex tail = new TailIndex(10);
        tail.add("a", 11, 4);
        tail.add("b", 12, 1);
        tail.add("a", 13, 5);
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
        tail.add("a", 1, 1);
        tail.committed();
        tail.add("a", 2, 2);
        tail.add("b", 3, 1);
        tail.add("a", 4, 3);
        assertThat(tail.latestVersion("a")).as("the writer plans on its own pending entries").isEqualTo(3);
        tail.rollback();
        assertThat(tail.knownThrough()).isEqualTo(1);
        tail.add("b", 2, 1);
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
        tail.add("x", 7, 4);
        tail.rollback();

        assertThat(tail.entries("x", 5, Long.MAX_VALUE).positions()).containsExactly(6);
        assertThat(tail.latestVersion("x")).isEqualTo(3);
        assertThat(tail.knownThrough()).isEqualTo(6);
    }

    @Test
    void entriesOfARoundAreKeptUntilTheNextRoundSoSlightlyOlderSnapshotsStillFindThem() {
        TailIndex tail = new TailIndex(0);
        for (long p = 1; p <= 5; p++) {
            tail.add(p % 2 == 0 ? "even" : "odd", p, (p + 1) / 2);
        }
        tail.committed();
        tail.indexed(5); // the table now indexes 1..5; a snapshot from before still has indexed_to 0
        assertThat(tail.retainedAfter()).isZero();
        assertThat(tail.entries("odd", 0, Long.MAX_VALUE).positions()).containsExactly(1, 3, 5);

        tail.add("odd", 6, 4);
        tail.add("odd", 7, 5);
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
        tail.add("b", 11, 1);
        tail.add("a", 12, 7);
        tail.add("b", 13, 2);
        tail.add("a", 14, 8);
        tail.add("a", 15, 9);
        tail.add("c", 16, 1);
        tail.add("a", 17, 10);
        tail.committed();
        assertThat(round(tail, 11, 15)).as("positions 12 to 15").containsExactly("a 7..9", "b 2..2");
        assertThat(round(tail, 10, 17)).containsExactly("a 7..10", "b 1..2", "c 1..1");
    }

    @Test
    void aRoundItsIndexCannotVouchForAddsNothingAndSaysSo() throws Exception {
        TailIndex tail = new TailIndex(10);
        tail.add("a", 11, 1);
        tail.add("a", 13, 2); // position 12 is another writer's, not seen
        tail.committed();
        assertThat(round(tail, 10, 13)).isNull();
    }

    @Test
    void aRoundOfMostlyOneEventStreamsIsLeftToTheTable() throws Exception {
        TailIndex tail = new TailIndex(0);
        tail.add("a", 1, 1);
        tail.add("b", 2, 1);
        tail.add("c", 3, 1);
        tail.add("a", 4, 2);
        tail.committed();
        assertThat(round(tail, 0, 4)).as("three streams for four events").isNull();
        tail.add("a", 5, 3);
        tail.add("a", 6, 4);
        tail.committed();
        assertThat(round(tail, 0, 6)).containsExactly("a 1..4", "b 1..1", "c 1..1");
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
