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
    class AVersionTwoOrThreeFile {

        /** Turns the store's file into what version {@code version} wrote: the same tables, and each stream's version in {@code streams}. */
        private void makeVersion(int version) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID");
                st.execute("INSERT INTO streams (stream, version) SELECT stream, max(version) FROM stream_index GROUP BY stream");
                st.execute("PRAGMA user_version = " + version);
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {2, 3})
        void losesItsStreamsTableAndKeepsItsStreamsVersions(int version) throws Exception {
            StreamId s = StreamId.of("kept", 1);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults(), 4)) {
                subject.append(s, ExpectedVersion.noStream(), events(3));
                subject.append(StreamId.of("other", 1), ExpectedVersion.noStream(), events(6)); // a round: s's versions in stream_index
                subject.append(s, ExpectedVersion.exactly(3), events(1)); // and one more, in the tail only
            }
            makeVersion(version);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
                assertThat(subject.streamVersion(s)).isEqualTo(4);
                assertThat(subject.append(s, ExpectedVersion.exactly(4), events(1)).lastVersion()).isEqualTo(5);
                assertThatThrownBy(() -> subject.append(s, ExpectedVersion.exactly(4), events(1))).isInstanceOf(StreamVersionConflict.class);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = c.createStatement()) {
                try (java.sql.ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    assertThat(rs.getInt(1)).isEqualTo(SqliteSchema.VERSION);
                }
                try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'streams'")) {
                    assertThat(rs.getInt(1)).isZero();
                }
            }
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

        @Test
        void isMigratedAndItsStreamsReadAndAppendAsBefore() throws Exception {
            writeVersionOne();
            StreamId old = StreamId.of("old", 1);
            try (SqliteEventStore subject = SqliteEventStore.open(file(), StoreOptions.defaults())) {
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
