package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream reads and versions across the bulk-filled stream index and the unindexed tail of events. */
class SqliteStreamIndexTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("events.db");
    }

    private static List<NewEvent> events(int n) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(NewEvent.json("Noted", i));
        }
        return events;
    }

    /** Appends {@code n} events to {@code stream} at exactly {@code version}; returns the stream's version after them. */
    private static long append(SqliteEventStore store, StreamId stream, long version, int n) {
        store.append(stream, ExpectedVersion.exactly(version), events(n));
        return version + n;
    }

    /** What a stream read must return: the stream's events of {@code all}, filtered and ordered as asked. */
    private static List<RecordedEvent> expected(List<RecordedEvent> all, StreamId stream, long from, ReadDirection direction, int limit) {
        List<RecordedEvent> of = new ArrayList<>(all.stream().filter(e -> e.stream().equals(stream)).toList());
        if (direction == ReadDirection.BACKWARD) {
            of = new ArrayList<>(of.reversed());
            return of.stream().filter(e -> e.version() <= from).limit(limit).toList();
        }
        return of.stream().filter(e -> e.version() >= from).limit(limit).toList();
    }

    @Nested
    class AStreamPartlyIndexedAndPartlyInTheTail {

        @Test
        void readsLikeAFilterOfAllEventsInEitherDirectionFromAnyVersion() {
            StreamId a = StreamId.of("a", 1);
            StreamId b = StreamId.of("b", 1);
            long va = 0;
            long vb = 0;
            // Rounds of 64: interleaved commits fill the index several times and leave a tail after it.
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), 64)) {
                for (int round = 0; round < 30; round++) {
                    va = append(subject, a, va, 37);
                    vb = append(subject, b, vb, 11);
                    if (round == 14) {
                        assertReadsMatch(subject, List.of(a, b), va + vb);
                    }
                }
                assertThat(subject.streamVersion(a)).isEqualTo(va);
                assertThat(subject.streamVersion(b)).isEqualTo(vb);
                assertReadsMatch(subject, List.of(a, b), va + vb);
            }
            // Opening again indexes the whole tail; with the default round nothing more is indexed while appending.
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.writerTail().size()).isZero();
                assertReadsMatch(subject, List.of(a, b), va + vb);
                subject.append(a, ExpectedVersion.exactly(va), events(5));
                assertThat(subject.writerTail().size()).isEqualTo(5);
                assertReadsMatch(subject, List.of(a, b), va + vb + 5);
            }
        }

        @Test
        void readsWhatAnotherStoreOnTheSameFileAppendedByScanningTheTailItCannotVouchFor() {
            StreamId a = StreamId.of("a", 1);
            StreamId b = StreamId.of("b", 1);
            long va = 0;
            long vb = 0;
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), 64);
                    SqliteEventStore other = SqliteEventStore.open(file(), StoreOptions.defaults(), 64)) {
                for (int round = 0; round < 12; round++) {
                    va = append(subject, a, va, 37);
                    vb = append(other, b, vb, 11);
                    va = append(other, a, va, 3);
                }
                va = append(other, a, va, 5); // fewer than a round: they stay unindexed
                vb = append(other, b, vb, 2);
                // The subject's writer has not seen the other's last appends: its tail index cannot vouch for the
                // snapshot, so its stream reads scan the unindexed events.
                assertThat(subject.writerTail().knownThrough()).isLessThan(va + vb);
                assertReadsMatch(subject, List.of(a, b), va + vb);
            }
        }

        private void assertReadsMatch(SqliteEventStore subject, List<StreamId> streams, long total) {
            List<RecordedEvent> all = subject.readAll(0, 10_000);
            assertThat(all).hasSize((int) total);
            for (StreamId s : streams) {
                assertThat(subject.streamVersion(s)).isEqualTo(all.stream().filter(e -> e.stream().equals(s)).count());
                for (long from : new long[] {0, 1, 100, 330, 900, 1_109, 2_000}) {
                    for (int limit : new int[] {1, 50, 10_000}) {
                        assertThat(subject.readStream(s, from, ReadDirection.FORWARD, limit))
                                .as("%s forward from %d limit %d", s, from, limit)
                                .isEqualTo(expected(all, s, from, ReadDirection.FORWARD, limit));
                        assertThat(subject.readStream(s, Math.max(from, 1), ReadDirection.BACKWARD, limit))
                                .as("%s backward from %d limit %d", s, from, limit)
                                .isEqualTo(expected(all, s, Math.max(from, 1), ReadDirection.BACKWARD, limit));
                    }
                }
            }
        }
    }

    @Nested
    class AVersionTwoToFourFile {

        /**
         * Turns the store's file into what version {@code version} wrote: one {@code stream_index} row per indexed event
         * instead of chunks, and for versions 2 and 3 each stream's version in {@code streams}.
         */
        private void makeVersion(int version) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE stream_index (stream TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL,"
                        + " PRIMARY KEY (stream, version)) WITHOUT ROWID");
                st.execute("INSERT INTO stream_index (stream, version, position) SELECT stream, version, position FROM events"
                        + " WHERE position <= (SELECT indexed_to FROM stream_index_state) ORDER BY stream, version");
                st.execute("DROP TABLE stream_chunks");
                if (version < 4) {
                    st.execute("CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID");
                    st.execute("INSERT INTO streams (stream, version) SELECT stream, max(version) FROM stream_index GROUP BY stream");
                }
                st.execute("PRAGMA user_version = " + version);
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {2, 3, 4})
        void hasItsIndexCopiedIntoChunksAndKeepsItsStreamsVersionsAndEvents(int version) throws Exception {
            StreamId s = StreamId.of("kept", 1);
            StreamId other = StreamId.of("other", 1);
            List<RecordedEvent> before;
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), 4)) {
                subject.append(s, ExpectedVersion.noStream(), events(3));
                subject.append(other, ExpectedVersion.noStream(), events(6)); // a round: s's versions in the index
                subject.append(s, ExpectedVersion.exactly(3), events(1)); // and one more, in the tail only
                before = subject.readAll(0, 100);
            }
            makeVersion(version);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.streamVersion(s)).isEqualTo(4);
                assertThat(subject.streamVersion(other)).isEqualTo(6);
                assertThat(subject.readStream(s, 1, ReadDirection.FORWARD, 100)).isEqualTo(expected(before, s, 1, ReadDirection.FORWARD, 100));
                assertThat(subject.readStream(other, 6, ReadDirection.BACKWARD, 100)).isEqualTo(expected(before, other, 6, ReadDirection.BACKWARD, 100));
                assertThat(subject.append(s, ExpectedVersion.exactly(4), events(1)).lastVersion()).isEqualTo(5);
                assertThatThrownBy(() -> subject.append(s, ExpectedVersion.exactly(4), events(1))).isInstanceOf(StreamVersionConflict.class);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
                try (java.sql.ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    assertThat(rs.getInt(1)).isEqualTo(SqliteSchema.VERSION);
                }
                try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name IN ('streams', 'stream_index')")) {
                    assertThat(rs.getInt(1)).isZero();
                }
            }
        }
    }

    @Nested
    class Chunks {

        /** The rows of {@code stream_chunks} as text: stream, first and last version, positions. */
        private List<String> chunkRows(Path file) throws Exception {
            List<String> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT stream, first_version, last_version, positions FROM stream_chunks ORDER BY stream, first_version")) {
                while (rs.next()) {
                    byte[] chunk = rs.getBytes(4);
                    StringBuilder positions = new StringBuilder("[");
                    for (int i = 0; i < StreamChunks.size(chunk); i++) {
                        positions.append(i == 0 ? "" : ",").append(StreamChunks.position(chunk, i));
                    }
                    rows.add(rs.getString(1) + " " + rs.getLong(2) + ".." + rs.getLong(3) + " " + positions.append(']'));
                }
            }
            return rows;
        }

        @Test
        void aRoundWritesOneChunkPerStreamWithItsPositionsInVersionOrder() throws Exception {
            StreamId a = StreamId.of("a", 1);
            StreamId b = StreamId.of("b", 1);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), 8)) {
                append(subject, a, 0, 2); // positions 1, 2
                append(subject, b, 0, 3); // 3, 4, 5
                append(subject, a, 2, 3); // 6, 7, 8: the round indexes 1..8
                append(subject, b, 3, 1); // 9: tail only
            }
            assertThat(chunkRows(file())).containsExactly("a-1 1..5 [1,2,6,7,8]", "b-1 1..3 [3,4,5]");
            SqliteEventStore.open(file(), StoreOptions.defaults()).close(); // opening indexes the tail: a chunk of its own
            assertThat(chunkRows(file())).containsExactly("a-1 1..5 [1,2,6,7,8]", "b-1 1..3 [3,4,5]", "b-1 4..4 [9]");
        }

        @Test
        void aLongRunIsSplitIntoChunksOfAtMostTheLimitAndReadsAcrossThem() throws Exception {
            StreamId a = StreamId.of("a", 1);
            int n = 2 * StreamChunks.MAX_ENTRIES + 10;
            List<RecordedEvent> all;
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), n)) {
                for (int i = 0; i < n; i += 8) {
                    append(subject, a, i, Math.min(8, n - i));
                }
                all = subject.readAll(0, 10_000);
            }
            // The last append's round indexed all of them, from the tail index (one stream).
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.writerTail().size()).isZero();
                int m = StreamChunks.MAX_ENTRIES;
                for (long from : new long[] {1, m - 1, m, m + 1, 2 * m, 2 * m + 1, n}) {
                    for (int limit : new int[] {1, 300, 10_000}) {
                        assertThat(subject.readStream(a, from, ReadDirection.FORWARD, limit)).isEqualTo(expected(all, a, from, ReadDirection.FORWARD, limit));
                        assertThat(subject.readStream(a, from, ReadDirection.BACKWARD, limit)).isEqualTo(expected(all, a, from, ReadDirection.BACKWARD, limit));
                    }
                }
            }
            assertThat(chunkRows(file())).extracting(r -> r.substring(0, r.indexOf(' ', 4))).containsExactly(
                    "a-1 1.." + StreamChunks.MAX_ENTRIES, "a-1 " + (StreamChunks.MAX_ENTRIES + 1) + ".." + 2 * StreamChunks.MAX_ENTRIES,
                    "a-1 " + (2 * StreamChunks.MAX_ENTRIES + 1) + ".." + n);
        }

        @Test
        void aRoundFromTheTailIndexIndexesWhatARoundFromTheTableIndexes() throws Exception {
            Path other = dir.resolve("other.db");
            try (SqliteEventStore fromTail = SqliteEventStore.open(file(), StoreOptions.defaults(), 50);
                    SqliteEventStore fromTable = SqliteEventStore.open(other, StoreOptions.defaults(), 100_000)) {
                for (int i = 0; i < 40; i++) {
                    StreamId s = StreamId.of("s" + (i * 7 % 5), 1);
                    fromTail.append(s, ExpectedVersion.any(), events(1 + i % 4));
                    fromTable.append(s, ExpectedVersion.any(), events(1 + i % 4));
                }
            }
            SqliteEventStore.open(other, StoreOptions.defaults()).close(); // opening indexes the tail from the table, a chunk per event
            List<String> fromTail = entries(chunkRows(file()));
            List<String> fromTable = entries(chunkRows(other));
            // The rounds cut runs at other places, but give every event they indexed the same (stream, version, position).
            assertThat(fromTail).hasSizeGreaterThan(50);
            assertThat(fromTable).hasSize(100).containsAll(fromTail);
        }

        /** Every row's entries as "stream version position" strings, sorted. */
        private List<String> entries(List<String> rows) {
            return rows.stream().flatMap(r -> expand(r).stream()).sorted().toList();
        }

        /** One row's entries as "stream version position" strings. */
        private List<String> expand(String row) {
            String[] parts = row.split(" ", 3);
            long first = Long.parseLong(parts[1].substring(0, parts[1].indexOf('.')));
            String[] positions = parts[2].substring(1, parts[2].length() - 1).split(",");
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < positions.length; i++) {
                entries.add(parts[0] + " " + (first + i) + " " + positions[i]);
            }
            return entries;
        }
    }

    @Nested
    class AVersionOneFile {

        /** Writes what version 1 of the schema created, with one stream of three events in it. */
        private void writeVersionOne() throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE events (position INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, stream TEXT NOT NULL,
                          version INTEGER NOT NULL, type TEXT NOT NULL, payload BLOB NOT NULL, content_type TEXT NOT NULL, metadata TEXT,
                          route_destination TEXT, route_partition_key TEXT, recorded_at INTEGER NOT NULL, UNIQUE (stream, version))""");
                s.execute("CREATE TABLE inbox (consumer TEXT NOT NULL, message_id BLOB NOT NULL, result BLOB, recorded_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (consumer, message_id)) WITHOUT ROWID");
                s.execute("CREATE INDEX inbox_recorded_at ON inbox (recorded_at)");
                s.execute("CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID");
                s.execute("CREATE TABLE snapshots (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, type TEXT NOT NULL, state BLOB NOT NULL) WITHOUT ROWID");
                s.execute("PRAGMA application_id = " + SqliteSchema.APPLICATION_ID);
                s.execute("PRAGMA user_version = 1");
                try (PreparedStatement inbox = c.prepareStatement("INSERT INTO inbox (consumer, message_id, recorded_at) VALUES ('c', ?, 0)")) {
                    inbox.setBytes(1, EventRows.bytes(HANDLED));
                    inbox.executeUpdate();
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (position, id, stream, version, type, payload, content_type,"
                        + " recorded_at) VALUES (?, ?, 'old-1', ?, 'Noted', X'7B7D', 'application/json', 0)")) {
                    for (int i = 1; i <= 3; i++) {
                        insert.setLong(1, i);
                        insert.setBytes(2, EventRows.bytes(UUID.randomUUID()));
                        insert.setLong(3, i);
                        insert.executeUpdate();
                    }
                }
            }
        }

        private static final UUID HANDLED = UUID.randomUUID();

        @Test
        void isMigratedAndItsStreamsReadAndAppendAsBefore() throws Exception {
            writeVersionOne();
            StreamId old = StreamId.of("old", 1);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.findInbox("c", HANDLED)).isPresent();
                assertThat(subject.streamVersion(old)).isEqualTo(3);
                assertThat(subject.readStream(old, 1, ReadDirection.FORWARD, 10)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
                assertThat(subject.append(old, ExpectedVersion.exactly(3), events(2)).lastVersion()).isEqualTo(5);
                assertThat(subject.readStream(old, 5, ReadDirection.BACKWARD, 10)).extracting(RecordedEvent::position).containsExactly(5L, 4L, 3L, 2L, 1L);
            }
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.streamVersion(old)).isEqualTo(5);
            }
        }
    }
}
