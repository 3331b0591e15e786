package dev.tandem.eventstore.sqlite;

import dev.tandem.core.IncompatibleSchemaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the event store's tables in a new database and refuses databases it cannot use.
 *
 * <p>A Tandem database carries {@link #APPLICATION_ID} in {@code PRAGMA application_id} and its schema
 * version in {@code PRAGMA user_version}. The check runs before any pragma that would change the file
 * (such as switching it to WAL), so a foreign database is refused untouched.
 *
 * <p><b>Streams.</b> The {@code events} table is ordered by position and indexed by event id only, so an append
 * writes to the end of both. The index from (stream, version) to position lives in {@code stream_chunks}, one row per
 * run of a stream's versions ({@link StreamChunks}), and a stream's version as of the index is its last chunk's
 * {@code last_version}; the writer fills it in bulk, one chunk per stream, for all events after
 * {@code stream_index_state.indexed_to} once enough have accumulated (see {@code SqliteWriter}), and holds what it
 * lacks in memory meanwhile ({@code TailIndex}; rebuilt on open by filling it). Updating it with every append would
 * touch one page per stream written in every batch, and SQLite writes each touched page whole to the WAL: with many
 * streams that was most of the bytes written and synced per event.
 *
 * <p><b>Inbox.</b> Keyed by (message id, consumer), with no index on every record's time: an insert into one cost about
 * a third of an inbox record's write. Tandem's message ids are version 7 UUIDs, so the key keeps their records in time
 * order and the purge deletes a range at its start; records of other ids are indexed by time in a partial index.
 *
 * <p>Older versions, migrated when opened: version 1 indexed {@code events (stream, version)} directly (the new tables
 * are added, filled from {@code events}; the old index stays, unused but harmless). Versions 2 to 4 had one row per
 * event in {@code stream_index} (each round inserted as many rows as events, 2 to 3 µs each); versions 2 and 3 also kept
 * each stream's version in a table {@code streams}. Their index is copied into chunks, and both tables are dropped.
 * Versions 1 to 5 keyed the inbox by (consumer, message id) and indexed every record's time; it is copied into the new
 * table. A Tandem that knows only an older version refuses a version 6 file.
 */
final class SqliteSchema {

    /** "TNDM": marks a SQLite file as a Tandem event store. */
    static final int APPLICATION_ID = 0x544E444D;
    static final int VERSION = 6;

    private static final Set<String> TABLES = Set.of("events", "inbox", "checkpoints", "snapshots", "stream_chunks", "stream_index_state");
    /** Versions 2 to 4: one row per event in {@code stream_index} (2 and 3 also had a table {@code streams}). */
    private static final Set<String> TABLES_V4 = Set.of("events", "inbox", "checkpoints", "snapshots", "stream_index", "stream_index_state");
    private static final Set<String> TABLES_V1 = Set.of("events", "inbox", "checkpoints", "snapshots");

    private static final String CREATE_CHUNKS = """
            CREATE TABLE stream_chunks (
              stream TEXT NOT NULL,
              first_version INTEGER NOT NULL,
              last_version INTEGER NOT NULL,
              positions BLOB NOT NULL,
              PRIMARY KEY (stream, first_version)
            ) WITHOUT ROWID""";
    private static final String CREATE_INDEX_STATE = "CREATE TABLE stream_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_to INTEGER NOT NULL)";

    /**
     * Whether a message id is a version 7 UUID (its version nibble, the high half of byte 7, is 7): its first 48 bits are
     * then its creation's Unix milliseconds, so the inbox's key orders such records by time. Deterministic, as a partial
     * index's condition must be; queries repeat it word for word so that SQLite uses that index.
     */
    static final String TIME_ORDERED_ID = "substr(message_id, 7, 1) BETWEEN x'70' AND x'7f'";

    /** Keyed by message id first, so records of time-ordered ids sort by time whatever their consumer: see {@link SqliteWriter#purgeInbox}. */
    private static final String CREATE_INBOX = """
            CREATE TABLE inbox (
              message_id BLOB NOT NULL,
              consumer TEXT NOT NULL,
              result BLOB,
              recorded_at INTEGER NOT NULL,
              PRIMARY KEY (message_id, consumer)
            ) WITHOUT ROWID""";
    /** The records whose ids do not sort by time, by time: the purge finds them here. */
    private static final String CREATE_INBOX_UNORDERED = "CREATE INDEX inbox_unordered_recorded_at ON inbox (recorded_at) WHERE NOT (" + TIME_ORDERED_ID + ")";

    private static final List<String> CREATE = List.of(
            """
            CREATE TABLE events (
              position INTEGER PRIMARY KEY,
              id BLOB NOT NULL UNIQUE,
              stream TEXT NOT NULL,
              version INTEGER NOT NULL,
              type TEXT NOT NULL,
              payload BLOB NOT NULL,
              content_type TEXT NOT NULL,
              metadata TEXT,
              route_destination TEXT,
              route_partition_key TEXT,
              recorded_at INTEGER NOT NULL
            )""",
            CREATE_INBOX,
            CREATE_INBOX_UNORDERED,
            "CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID",
            """
            CREATE TABLE snapshots (
              stream TEXT PRIMARY KEY,
              version INTEGER NOT NULL,
              type TEXT NOT NULL,
              state BLOB NOT NULL
            ) WITHOUT ROWID""",
            "PRAGMA application_id = " + APPLICATION_ID);

    private SqliteSchema() {}

    /** Creates the schema in an empty database, accepts a current Tandem one, and refuses anything else. */
    static void prepare(Connection connection, Path file) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                int applicationId = intPragma(s, "application_id");
                int version = intPragma(s, "user_version");
                Set<String> tables = tables(s);
                if (applicationId == 0 && version == 0 && tables.isEmpty()) {
                    for (String sql : CREATE) {
                        s.execute(sql);
                    }
                    s.execute(CREATE_CHUNKS);
                    s.execute(CREATE_INDEX_STATE);
                    s.execute("INSERT INTO stream_index_state (id, indexed_to) VALUES (1, 0)");
                    s.execute("PRAGMA user_version = " + VERSION);
                } else if (applicationId == APPLICATION_ID && version == 1 && tables.containsAll(TABLES_V1)) {
                    s.execute(CREATE_CHUNKS);
                    s.execute(CREATE_INDEX_STATE);
                    StreamChunks.fill(connection, "SELECT stream, version, position FROM events ORDER BY stream, version");
                    s.execute("INSERT INTO stream_index_state (id, indexed_to) SELECT 1, coalesce(max(position), 0) FROM events");
                    migrateInbox(s);
                    s.execute("PRAGMA user_version = " + VERSION);
                } else if (applicationId == APPLICATION_ID && version >= 2 && version <= 4 && tables.containsAll(TABLES_V4)) {
                    s.execute(CREATE_CHUNKS);
                    StreamChunks.fill(connection, "SELECT stream, version, position FROM stream_index ORDER BY stream, version");
                    s.execute("DROP TABLE stream_index");
                    s.execute("DROP TABLE IF EXISTS streams"); // versions 2 and 3 kept each stream's version there
                    migrateInbox(s);
                    s.execute("PRAGMA user_version = " + VERSION);
                } else if (applicationId == APPLICATION_ID && version == 5 && tables.containsAll(TABLES)) {
                    migrateInbox(s);
                    s.execute("PRAGMA user_version = " + VERSION);
                } else {
                    check(file, applicationId, version, tables);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(s, e);
                throw e;
            }
        }
    }

    /** Versions 1 to 5 keyed the inbox by (consumer, message_id) and indexed every record by time: copied into the new table. */
    private static void migrateInbox(Statement s) throws SQLException {
        s.execute("ALTER TABLE inbox RENAME TO inbox_v5");
        s.execute("DROP INDEX IF EXISTS inbox_recorded_at");
        s.execute(CREATE_INBOX);
        s.execute("INSERT INTO inbox (message_id, consumer, result, recorded_at) SELECT message_id, consumer, result, recorded_at FROM inbox_v5");
        s.execute("DROP TABLE inbox_v5");
        s.execute(CREATE_INBOX_UNORDERED);
    }

    private static void check(Path file, int applicationId, int version, Set<String> tables) {
        if (applicationId != APPLICATION_ID) {
            throw new IncompatibleSchemaException(file + " is a SQLite database of another application (application_id "
                    + applicationId + ", user_version " + version + ", tables " + tables + "), not a Tandem event store");
        }
        if (version > VERSION) {
            throw new IncompatibleSchemaException(file + " has event store schema version " + version
                    + ", newer than the version " + VERSION + " this Tandem understands; upgrade Tandem");
        }
        if (version < VERSION || !tables.containsAll(TABLES)) {
            throw new IncompatibleSchemaException(file + " is a damaged Tandem event store: schema version " + version
                    + ", tables " + tables + ", expected version " + VERSION + " with tables " + new TreeSet<>(TABLES));
        }
    }

    private static int intPragma(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static Set<String> tables(Statement s) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static void rollbackQuietly(Statement s, Exception cause) {
        try {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e); // no transaction left to roll back: SQLite already ended it
        }
    }
}
