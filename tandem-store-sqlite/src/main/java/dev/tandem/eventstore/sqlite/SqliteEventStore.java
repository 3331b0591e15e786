package dev.tandem.eventstore.sqlite;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventBatchHandler;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.support.AppendSignal;
import dev.tandem.eventstore.support.CommitValidator;
import dev.tandem.eventstore.support.DurabilityFence;
import dev.tandem.eventstore.support.GroupCommitter;
import dev.tandem.eventstore.support.PollingSubscription;
import dev.tandem.eventstore.support.ReadChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The embedded event store: one SQLite database file in WAL mode, each group-commit batch one
 * transaction, made durable by an fsync of the WAL before any of its commits returns. The fsync runs on
 * a syncer thread of its own while the next batch is written, and covers every batch written before it
 * began (see {@code SqliteWriter}); reads of this store wait for it too, so they never see a commit that
 * a power loss could take back.
 *
 * <p>One connection writes, on the group committer's thread; a few read-only connections read
 * concurrently with it. Open one store per file: a second store on the same file stays correct
 * (SQLite's lock serialises writers) but is slower, learns of the other's appends only by polling, and may
 * read the other's last commits up to one fsync before they are durable.
 */
public final class SqliteEventStore implements EventStore {

    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int READERS = 4;
    /**
     * Every connection opens without SQLite's own per-connection mutex ("multi-thread" mode): the driver already
     * serialises every native call on a connection (its methods synchronise on it), and the store never lets two
     * threads use one connection at once (the writer's lock; one reader per pooled connection), so the mutex only cost
     * a lock and an unlock per SQLite call, about 3% of a writer thread's time in {@code perf}.
     */
    static final SQLiteOpenMode NO_CONNECTION_MUTEX = SQLiteOpenMode.NOMUTEX;
    /** How long a read waits for the fsync of writes it may have seen before it gives up. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    /** How often an idle subscription looks for appends made by another process on the same file. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    /** What a stream read's snapshot rests on: the stream's version as of the last index round, how far that round went, the last position. */
    private static final String READ_SNAPSHOT = "SELECT (SELECT last_version FROM stream_chunks WHERE stream = ? ORDER BY first_version DESC LIMIT 1),"
            + " (SELECT indexed_to FROM stream_index_state),"
            + " (SELECT max(position) FROM events)";
    /**
     * A stream read is two simple queries, not one {@code UNION ALL} under an {@code ORDER BY}: that one materialised its
     * sub-selects and sorted their union on every call. All of a stream's indexed events precede its unindexed ones
     * (versions grow with positions), so the two results are simply concatenated: forward the indexed part first,
     * backward the tail first. Neither carries a {@code LIMIT ?}: SQLite takes a bound limit into the query plan, so
     * binding it expires the statement and every execution prepared it again (~12 µs); both are read in index order
     * and {@link #events} stops at the limit.
     *
     * <p>The indexed events ({@code ?1} stream, {@code ?2} first version) in two steps: the stream's chunks holding that
     * version and those after it (before it, backward), in version order straight from their key, each cut down to the
     * slice the read may need ({@code ?3}, the limit, positions from the first version on, or up to it), give the
     * positions; then the events at them are read ({@code ?1}, a JSON array).
     */
    private static final String CHUNKS_FORWARD = "SELECT substr(positions, 1 + 8 * max(0, ?2 - first_version), 8 * ?3) FROM stream_chunks"
            + " WHERE stream = ?1 AND first_version >= coalesce((SELECT max(first_version) FROM stream_chunks WHERE stream = ?1 AND first_version <= ?2), 0)"
            + " AND last_version >= ?2 ORDER BY first_version";
    private static final String CHUNKS_BACKWARD = "SELECT substr(positions, 1 + 8 * max(0, min(last_version, ?2) - first_version + 1 - ?3),"
            + " 8 * min(?3, min(last_version, ?2) - first_version + 1)) FROM stream_chunks WHERE stream = ?1 AND first_version <= ?2"
            + " ORDER BY first_version DESC";
    private static final String AT_POSITIONS_FORWARD = atPositions(true);
    private static final String AT_POSITIONS_BACKWARD = atPositions(false);
    /**
     * The unindexed events at the positions the {@link TailIndex} gives ({@code ?3}, a JSON array); filtered by stream, as
     * a position of a rolled-back transaction may since hold another stream's event.
     */
    private static final String TAIL_FORWARD = tailRead(true, "position IN (SELECT value FROM json_each(?3))");
    private static final String TAIL_BACKWARD = tailRead(false, "position IN (SELECT value FROM json_each(?3))");
    /** As above, scanning the unindexed events: for a snapshot the tail index cannot vouch for. */
    private static final String SCAN_FORWARD = tailRead(true, "position > (SELECT indexed_to FROM stream_index_state)");
    private static final String SCAN_BACKWARD = tailRead(false, "position > (SELECT indexed_to FROM stream_index_state)");
    /** A stream's version among the unindexed events, found by scanning them. */
    private static final String SCAN_VERSION = "SELECT max(version) FROM events WHERE stream = ? AND position > ?";
    /** Read up to the caller's limit (see {@link #events}). */
    private static final String READ_ALL = "SELECT " + EventRows.COLUMNS + " FROM events WHERE position > ? ORDER BY position";
    private static final String CHECKPOINT = "SELECT position FROM checkpoints WHERE name = ?";
    private static final String SNAPSHOT = "SELECT version, type, state FROM snapshots WHERE stream = ?";

    /** The events at the positions of JSON array {@code ?1}, in position order. */
    private static String atPositions(boolean forward) {
        return "SELECT " + EventRows.COLUMNS + " FROM events WHERE position IN (SELECT value FROM json_each(?1)) ORDER BY position"
                + (forward ? "" : " DESC");
    }

    /** The unindexed events of stream {@code ?1} from version {@code ?2} among those {@code positions} selects. */
    private static String tailRead(boolean forward, String positions) {
        return "SELECT " + EventRows.COLUMNS + " FROM events WHERE " + positions + " AND stream = ?1 AND "
                + (forward ? "version >= ?2 ORDER BY position" : "version <= ?2 ORDER BY position DESC");
    }

    private final Path file;
    private final String name;
    private final StoreOptions options;
    private final SqliteWriter writer;
    private final ReaderPool readers;
    private final GroupCommitter committer;
    private final WalCheckpointer checkpointer;
    private final AppendSignal signal = new AppendSignal();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Set first on close: refuses new commits and subscriptions while running ones finish. */
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    private SqliteEventStore(Path file, StoreOptions options, Connection connection, int indexEvery) throws SQLException {
        this.file = file;
        this.name = "SQLite event store " + file;
        this.options = options;
        DurabilityFence fence = new DurabilityFence(name, SYNC_TIMEOUT);
        this.writer = new SqliteWriter(connection, file, fence, options.clock(), indexEvery);
        this.readers = new ReaderPool(file, name, READERS, fence);
        this.checkpointer = new WalCheckpointer(connect(file, false), file, WAL_AUTOCHECKPOINT_PAGES);
        this.committer = new GroupCommitter("sqlite", options, writer, writer::sync,
                e -> SqliteErrors.map(file, "writing a batch of commits", e), this::afterBatch);
    }

    /**
     * Opens the event store in {@code file}, creating the file and its schema when it does not exist.
     *
     * @throws dev.tandem.core.IncompatibleSchemaException the file is not a SQLite database, or belongs to
     *     another application or a newer Tandem
     * @throws StoreUnavailableException the file cannot be created, opened or written (permissions, disk)
     */
    public static SqliteEventStore open(Path file, StoreOptions options) {
        return open(file, options, SqliteWriter.INDEX_EVERY);
    }

    /** As {@link #open(Path, StoreOptions)}, filling the stream index every {@code indexEvery} events (tests use small rounds). */
    static SqliteEventStore open(Path file, StoreOptions options, int indexEvery) {
        InvalidInputException.requireNonNull(file, "file");
        InvalidInputException.requireNonNull(options, "options");
        Path path = file.toAbsolutePath().normalize();
        try {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the directory of SQLite event store " + path + ": " + e, e);
        }
        Connection connection = null;
        try {
            connection = connect(path, false);
            SqliteSchema.prepare(connection, path);
            configureWriter(connection, path);
            return new SqliteEventStore(path, options, connection, indexEvery);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw SqliteErrors.map(path, "opening", e);
        }
    }

    /**
     * A connection to {@code file} without SQLite's per-connection mutex (see {@link #NO_CONNECTION_MUTEX}) and without
     * generated keys: the store never asks for them, and with them on, the driver matches the text of every statement it
     * executes against a pattern and runs a second query ({@code SELECT last_insert_rowid()}) after each {@code INSERT}.
     */
    static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setOpenMode(NO_CONNECTION_MUTEX);
        config.setGetGeneratedKeys(false);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private void afterBatch() {
        checkpointer.written();
        signal.signal();
    }

    /** The writer connection's page cache in KiB: see {@link #configureWriter}. */
    static final int WRITER_CACHE_KIB = 16_384;

    /** WAL pages after which a commit checkpoints: see {@link #configureWriter}. */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    /** Runs after the schema check, so a refused foreign file is never switched to WAL. */
    private static void configureWriter(Connection connection, Path path) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "unknown";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("cannot switch " + path + " to WAL journal mode; it stays in " + mode);
                }
            }
            // In WAL mode: COMMIT writes the log without an fsync; SqliteWriter.sync fsyncs it before any commit is acknowledged.
            s.execute("PRAGMA synchronous = NORMAL");
            // 16 MiB of page cache (4,096 pages), not more: a commit in which SQLite renumbered pages while balancing a
            // b-tree (it swaps page numbers through the number of the lock-byte page, 262,145) ends with a walk of the
            // whole cache's hash table: ~5% of a busy writer's time with 64 MiB, ~2% with 16 MiB; with 8 MiB the writer
            // read more pages back from the file than the walk saved (docs/benchmarks.md, 2026-12-07).
            s.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
            // SQLite copies the WAL into the database file once the WAL holds this many pages, inside the COMMIT that
            // crossed the mark, on the writer's thread; a page written many times in between (the tables' last leaves,
            // index pages) is copied once. 10,000 pages (~40 MB of WAL) instead of the default 1,000: in the e2e bench the
            // coordinator's writer spent 11% of its time in commits over 2 ms, 7.6% with 10,000 (docs/benchmarks.md).
            s.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
        }
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Commit commit) {
        CommitValidator.validate(commit, options);
        checkNotClosing();
        return committer.submit(commit);
    }

    /** Tells {@code onWritten} on the writer thread as soon as the commit's batch is written, before its fsync. */
    @Override
    public CompletableFuture<CommitResult> commitAsync(Commit commit, Consumer<? super CommitResult> onWritten) {
        InvalidInputException.requireNonNull(onWritten, "onWritten");
        CommitValidator.validate(commit, options);
        checkNotClosing();
        return committer.submit(commit, onWritten);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, long fromVersion, ReadDirection direction, int limit) {
        checkOpen();
        ReadChecks.check(stream, fromVersion, direction, limit);
        return readers.read("reading stream " + stream, r -> r.inReadTransaction(() -> readStream(r, stream, fromVersion, direction, limit)),
                SqliteEventStore::highestPosition);
    }

    /**
     * Runs in one read transaction: its first query fixes the snapshot, then the tail index is consulted, so every
     * unindexed event the snapshot holds is in what the index returns, or the read scans (see {@link TailIndex}).
     */
    private List<RecordedEvent> readStream(StatementCache r, StreamId stream, long fromVersion, ReadDirection direction, int limit)
            throws SQLException {
        StreamView view = view(r, stream);
        // Most reads ask for what follows a version already known (a cache check, a barrier look-up on a new
        // stream) and find nothing: the stream's version answers them.
        if (direction == ReadDirection.FORWARD ? view.version() < fromVersion : view.version() == 0) {
            return List.of();
        }
        boolean forward = direction == ReadDirection.FORWARD;
        if (forward) {
            List<RecordedEvent> events = indexedEvents(r, stream, fromVersion, true, limit);
            return events.size() == limit ? events : append(events, tailEvents(r, view, true, stream, fromVersion, limit - events.size()));
        }
        List<RecordedEvent> events = tailEvents(r, view, false, stream, fromVersion, limit);
        return events.size() == limit ? events : append(events, indexedEvents(r, stream, fromVersion, false, limit - events.size()));
    }

    /** The stream's indexed events from {@code fromVersion} on (forward) or down (backward), at most {@code limit}. */
    private static List<RecordedEvent> indexedEvents(StatementCache r, StreamId stream, long fromVersion, boolean forward, int limit)
            throws SQLException {
        StringBuilder positions = new StringBuilder(Math.min(limit, 64) * 8).append('[');
        int n = 0;
        PreparedStatement chunks = bindStream(r.get(forward ? CHUNKS_FORWARD : CHUNKS_BACKWARD), stream, fromVersion);
        chunks.setLong(3, limit);
        try (ResultSet rs = chunks.executeQuery()) {
            while (n < limit && rs.next()) {
                byte[] slice = rs.getBytes(1); // a zero-length slice comes as null
                int size = slice == null ? 0 : StreamChunks.size(slice);
                for (int k = 0; n < limit && k < size; k++) {
                    positions.append(n++ == 0 ? "" : ",").append(StreamChunks.position(slice, forward ? k : size - 1 - k));
                }
            }
        }
        if (n == 0) {
            return new ArrayList<>();
        }
        PreparedStatement query = r.get(forward ? AT_POSITIONS_FORWARD : AT_POSITIONS_BACKWARD);
        query.setString(1, positions.append(']').toString());
        return events(query, limit);
    }

    private static PreparedStatement bindStream(PreparedStatement query, StreamId stream, long fromVersion) throws SQLException {
        query.setString(1, stream.value());
        query.setLong(2, fromVersion);
        return query;
    }

    /** The stream's unindexed events: at the tail index's positions, or by scanning them when it cannot vouch for the snapshot. */
    private static List<RecordedEvent> tailEvents(StatementCache r, StreamView view, boolean forward, StreamId stream, long fromVersion, int limit)
            throws SQLException {
        if (!view.complete()) {
            return events(bindStream(r.get(forward ? SCAN_FORWARD : SCAN_BACKWARD), stream, fromVersion), limit);
        }
        if (view.tailPositions().length == 0) {
            return new ArrayList<>();
        }
        PreparedStatement query = bindStream(r.get(forward ? TAIL_FORWARD : TAIL_BACKWARD), stream, fromVersion);
        query.setString(3, json(view.tailPositions()));
        return events(query, limit);
    }

    private static List<RecordedEvent> append(List<RecordedEvent> first, List<RecordedEvent> then) {
        first.addAll(then);
        return first;
    }

    /**
     * What a read transaction's snapshot holds of a stream: its version, and the positions of its events the stream
     * index table does not hold yet; when the tail index cannot vouch for the snapshot ({@code complete} false), the
     * version comes from scanning the unindexed events and a read must scan them too.
     */
    private record StreamView(long version, long[] tailPositions, boolean complete) {}

    /** Runs in a read transaction; its first query fixes the snapshot, then the tail index is consulted (see {@link TailIndex}). */
    private StreamView view(StatementCache r, StreamId stream) throws SQLException {
        PreparedStatement snapshot = r.get(READ_SNAPSHOT);
        snapshot.setString(1, stream.value());
        long tableVersion;
        long indexedTo;
        long last;
        try (ResultSet rs = snapshot.executeQuery()) {
            rs.next();
            tableVersion = rs.getLong(1);
            indexedTo = rs.getLong(2);
            last = rs.getLong(3);
        }
        TailIndex tail = writer.tail();
        long known = tail.knownThrough(); // before the entries: everything up to it was added before it was set
        TailIndex.Entries entries = tail.entries(stream.value(), indexedTo, last);
        if (last <= known && tail.retainedAfter() <= indexedTo) { // retainedAfter after the entries: see TailIndex
            return new StreamView(entries.version() > 0 ? entries.version() : tableVersion, entries.positions(), true);
        }
        PreparedStatement scan = r.get(SCAN_VERSION);
        scan.setString(1, stream.value());
        scan.setLong(2, indexedTo);
        try (ResultSet rs = scan.executeQuery()) {
            long scanned = rs.next() ? rs.getLong(1) : 0;
            return new StreamView(scanned > 0 ? scanned : tableVersion, entries.positions(), false);
        }
    }

    private static String json(long[] positions) {
        StringBuilder json = new StringBuilder(2 + positions.length * 8).append('[');
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(positions[i]);
        }
        return json.append(']').toString();
    }

    /** The highest position among {@code events}, 0 for none: what a read of them waits to be durable. */
    private static long highestPosition(List<RecordedEvent> events) {
        long highest = 0;
        for (RecordedEvent e : events) {
            highest = Math.max(highest, e.position());
        }
        return highest;
    }

    /**
     * Each query reads one snapshot of committed transactions, and positions are assigned by the single
     * writer inside its transaction, so this never returns position 11 while 10 is still to come. The tail this
     * store's writer committed last comes from memory ({@link RecentEvents}), a run of positions with none missing.
     */
    @Override
    public List<RecordedEvent> readAll(long afterPosition, int limit) {
        checkOpen();
        ReadChecks.checkAll(afterPosition, limit);
        List<RecordedEvent> recent = writer.recent().after(afterPosition, limit);
        if (recent == null) {
            return readFromDatabase(afterPosition, limit);
        }
        // This writer committed them a moment ago: they are not read back. A short answer must mean the end of the
        // log, so the database is asked for what came after them (usually nothing; another writer's events otherwise).
        long last = recent.getLast().position();
        if (recent.size() < limit) {
            List<RecordedEvent> more = readFromDatabase(last, limit - recent.size());
            if (!more.isEmpty()) {
                recent.addAll(more);
                return recent; // the second read waited for everything up to its last event
            }
        }
        readers.awaitDurable(last);
        return recent;
    }

    /**
     * A subscription's read when this store's writer woke it ({@link PollingSubscription.TailReader}): what the writer
     * committed after {@code afterPosition}, from memory, and when it committed nothing after it, nothing, without
     * asking the database whether another store on the same file wrote since (the subscription's periodic
     * {@link #readAll} finds that). What the ring no longer holds is read from the database.
     */
    private List<RecordedEvent> readOwnTail(long afterPosition, int limit) {
        checkOpen();
        List<RecordedEvent> own = writer.recent().ownAfter(afterPosition, limit);
        if (own == null) { // the ring cannot answer it; readAll would only ask the ring again
            return readFromDatabase(afterPosition, limit);
        }
        if (!own.isEmpty()) {
            readers.awaitDurable(own.getLast().position());
        }
        return own;
    }

    private List<RecordedEvent> readFromDatabase(long afterPosition, int limit) {
        return readers.read("reading all events", r -> {
            PreparedStatement query = r.get(READ_ALL);
            query.setLong(1, afterPosition);
            return events(query, limit);
        }, SqliteEventStore::highestPosition);
    }

    /** Up to {@code limit} events of {@code query}'s rows; closing the result set resets the statement where it stopped. */
    private static List<RecordedEvent> events(PreparedStatement query, int limit) throws SQLException {
        List<RecordedEvent> events = new ArrayList<>(Math.min(limit, 1_024));
        EventRows.Reader reader = new EventRows.Reader();
        try (ResultSet rs = query.executeQuery()) {
            while (events.size() < limit && rs.next()) {
                events.add(reader.read(rs));
            }
        }
        return events;
    }

    @Override
    public long streamVersion(StreamId stream) {
        checkOpen();
        InvalidInputException.requireNonNull(stream, "stream");
        return readers.read("reading the version of " + stream, r -> r.inReadTransaction(() -> view(r, stream).version()),
                v -> v == 0 ? 0 : ReaderPool.UNPOSITIONED);
    }

    @Override
    public long lastPosition() {
        checkOpen();
        return readers.read("reading the last position", r -> WriterLookup.lastPosition(r.get(WriterLookup.LAST_POSITION)),
                position -> position);
    }

    @Override
    public Map<UUID, InboxRecord> findInbox(String consumer, Collection<UUID> messageIds) {
        checkOpen();
        List<UUID> ids = ReadChecks.checkInbox(consumer, messageIds);
        return readers.read("reading the inbox", r -> {
            PreparedStatement query = r.get(WriterLookup.INBOX_BY_KEY);
            Map<UUID, InboxRecord> found = new HashMap<>();
            for (UUID id : ids) {
                InboxRecord record = WriterLookup.findInbox(query, consumer, id);
                if (record != null) {
                    found.put(id, record);
                }
            }
            return found;
        }, found -> found.isEmpty() ? 0 : ReaderPool.UNPOSITIONED);
    }

    @Override
    public int purgeInbox(Instant cutoff) {
        checkNotClosing();
        InvalidInputException.requireNonNull(cutoff, "cutoff");
        try {
            return writer.purgeInbox(cutoff);
        } catch (SQLException | RuntimeException e) {
            throw SqliteErrors.map(file, "purging the inbox", e);
        }
    }

    @Override
    public OptionalLong loadCheckpoint(String checkpoint) {
        checkOpen();
        InvalidInputException.requireText(checkpoint, "checkpoint.name", 200);
        return readers.read("reading checkpoint " + checkpoint, r -> {
            PreparedStatement query = r.get(CHECKPOINT);
            query.setString(1, checkpoint);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }, found -> found.isPresent() ? ReaderPool.UNPOSITIONED : 0);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        checkNotClosing();
        InvalidInputException.requireNonNull(snapshot, "snapshot");
        try {
            writer.saveSnapshot(snapshot);
        } catch (SQLException | RuntimeException e) {
            throw SqliteErrors.map(file, "saving a snapshot of " + snapshot.stream(), e);
        }
    }

    @Override
    public Optional<Snapshot> loadSnapshot(StreamId stream) {
        checkOpen();
        InvalidInputException.requireNonNull(stream, "stream");
        return readers.read("reading the snapshot of " + stream, r -> {
            PreparedStatement query = r.get(SNAPSHOT);
            query.setString(1, stream.value());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Snapshot(stream, rs.getLong(1), rs.getString(2), EventRows.orEmpty(rs.getBytes(3))))
                        : Optional.<Snapshot>empty();
            }
        }, found -> found.isPresent() ? ReaderPool.UNPOSITIONED : 0);
    }

    @Override
    public Subscription subscribe(SubscriptionRequest request, EventBatchHandler handler) {
        checkNotClosing();
        InvalidInputException.requireNonNull(request, "request");
        InvalidInputException.requireNonNull(handler, "handler");
        return new TrackedSubscription(new PollingSubscription(this, request, handler, signal, IDLE_POLL, this::readOwnTail).start(), subscriptions);
    }

    /** Write transactions committed so far; with many concurrent appenders, far fewer than commits. */
    long transactions() {
        return writer.transactions();
    }

    /** Fsyncs of the WAL so far; with many concurrent appenders, fewer than transactions. */
    long syncs() {
        return writer.syncs();
    }

    /** Batches that were planned a second time because an event id the planner had not looked up was stored already. */
    long replans() {
        return writer.replans();
    }

    /** Checkpoints the {@link WalCheckpointer} ran, for tests. */
    long checkpointsBesideTheWriter() {
        return checkpointer.checkpoints();
    }

    /** The writer's in-memory index of the events the stream index table does not hold yet, for tests. */
    TailIndex writerTail() {
        return writer.tail();
    }

    /** Stops subscriptions, writes the commits already queued, then closes the database connections. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (Subscription s : List.copyOf(subscriptions)) {
            s.close(); // before reads are refused, so a subscription mid-read stops quietly
        }
        subscriptions.clear();
        committer.close();
        closed = true;
        readers.close();
        checkpointer.close();
        try {
            writer.close();
        } catch (SQLException e) {
            throw new StoreUnavailableException("closing " + name + " failed: " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException(name);
        }
    }

    private void checkNotClosing() {
        if (closing.get()) {
            throw new ClosedException(name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
