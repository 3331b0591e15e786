package dev.tandem.eventstore.sqlite;

import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.support.BatchPlanner;
import dev.tandem.eventstore.support.DurabilityFence;
import dev.tandem.eventstore.support.GroupCommitter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one connection that writes: each group-commit batch becomes one {@code BEGIN IMMEDIATE … COMMIT}
 * transaction, and {@link #sync} makes every transaction committed so far durable with one fsync of the WAL.
 *
 * <p><b>Durability.</b> The connection runs with {@code synchronous=NORMAL}: its {@code COMMIT} appends the
 * transaction's pages to the WAL file (in the OS page cache, so it survives a crash of this process) but
 * does not fsync it. {@link #sync}, on the group committer's syncer thread, then fsyncs the WAL file, after
 * which every transaction committed before the fsync began survives a power loss too, exactly as with
 * {@code synchronous=FULL} (which would fsync inside each {@code COMMIT}, on this thread, holding up the next
 * batch). The WAL is append-only between checkpoints, and SQLite itself syncs the WAL before a checkpoint copies
 * it into the database file and syncs that, so frames are never overwritten before they are durable. No commit
 * is acknowledged, and (through the {@link DurabilityFence}) no read of this store returns anything, before the
 * fsync that covers it has returned.
 *
 * <p>The planner's reads run on this connection inside the write transaction, so nothing can change
 * between what it saw and what is written. Positions are taken from the highest stored position
 * inside that transaction; as there is only one writer per file and a transaction becomes visible
 * all at once, a reader can never see position 11 without 10.
 */
final class SqliteWriter implements GroupCommitter.BatchWriter, AutoCloseable {

    /**
     * How many of the events it committed last the writer keeps for reads of the log's tail ({@link RecentEvents}):
     * enough for subscriptions a few batches behind: with 8,192, the messaging bench's relay (up to 20,000 messages
     * behind) spent half its time reading from the file. A power of two; the system property
     * {@code tandem.sqlite.recentEvents} tunes it.
     */
    static final int RECENT_EVENTS = Integer.highestOneBit(Math.max(1, Integer.getInteger("tandem.sqlite.recentEvents", 32_768)));

    /**
     * Fill the stream index ({@code stream_chunks}) once this many events are not in it: a bulk insert writes each
     * touched index page once for all its events, so the larger the round, the fewer pages per event (until every
     * stream's page is touched anyway). Until then the {@link TailIndex} in memory finds them, so reads do not scan them.
     * Measured on 2 cores (docs/benchmarks.md); the system property {@code tandem.sqlite.indexEvery} tunes it.
     */
    static final int INDEX_EVERY = Math.max(1, Integer.getInteger("tandem.sqlite.indexEvery", 16_384));
    private static final String FOREIGN_EVENTS = "SELECT stream, position, version FROM events WHERE position > ? ORDER BY position";
    private static final String INDEXED_TO = "SELECT indexed_to FROM stream_index_state";
    /** A round from the table: one chunk per event, inserted sorted in one statement. */
    private static final String INDEX_EACH = "INSERT INTO stream_chunks (stream, first_version, last_version, positions)"
            + " SELECT stream, version, version, unhex(printf('%016X', position)) FROM events WHERE position > ? AND position <= ?"
            + " ORDER BY stream, version";
    private static final String SET_INDEXED_TO = "UPDATE stream_index_state SET indexed_to = ?";
    private static final String INSERT_INBOX = "INSERT INTO inbox (message_id, consumer, result, recorded_at) VALUES (?, ?, ?, ?)";
    private static final String UPSERT_CHECKPOINT =
            "INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position";
    private static final String UPSERT_SNAPSHOT = "INSERT INTO snapshots (stream, version, type, state) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (stream) DO UPDATE SET version = excluded.version, type = excluded.type, state = excluded.state";

    private final Connection connection;
    private final StatementCache statements;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong replans = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final Path wal;
    private final DurabilityFence fence;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final int indexEvery;
    private final TailIndex tail;
    private final RecentEvents recent = new RecentEvents(RECENT_EVENTS);
    private FileChannel walChannel;

    /** Indexes every event the stream index does not hold yet, so the {@link #tail() tail index} starts empty. */
    SqliteWriter(Connection connection, Path file, DurabilityFence fence, InstantSource clock, int indexEvery) throws SQLException {
        this.connection = connection;
        this.wal = file.resolveSibling(file.getFileName() + "-wal");
        this.fence = fence;
        this.statements = new StatementCache(connection);
        this.clock = clock;
        this.indexEvery = indexEvery;
        this.tail = new TailIndex(inTransaction(() -> {
            long last = WriterLookup.lastPosition(statements.get(WriterLookup.LAST_POSITION));
            indexTail(indexedTo(), last);
            return last;
        }));
    }

    /**
     * Adds to the tail index the events another writer on the same file appended since this one last wrote; returns the
     * highest position stored, which the planner numbers the batch's events from.
     */
    private long catchUpWithOtherWriters() throws SQLException {
        long known = tail.knownThrough();
        long last = WriterLookup.lastPosition(statements.get(WriterLookup.LAST_POSITION));
        if (last <= known) {
            return last;
        }
        PreparedStatement query = statements.get(FOREIGN_EVENTS);
        query.setLong(1, known);
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                tail.addCommitted(rs.getString(1), rs.getLong(2), rs.getLong(3));
            }
        }
        return last;
    }

    /** The events this writer committed last, for reads of the log's tail. */
    RecentEvents recent() {
        return recent;
    }

    /** The writer's index of the events the table does not index yet, for readers. */
    TailIndex tail() {
        return tail;
    }

    @Override
    public List<BatchPlanner.Outcome> write(List<Commit> batch) throws Exception {
        lock.lock();
        try {
            return writeOrReplan(batch);
        } finally {
            lock.unlock();
        }
    }

    private List<BatchPlanner.Outcome> writeOrReplan(List<Commit> batch) throws Exception {
        Instant now = clock.instant();
        try {
            return writeOnce(batch, now, false);
        } catch (SQLException e) {
            if (!SqliteErrors.isConstraintViolation(e)) {
                throw e;
            }
            // An event id or inbox key the planner did not look up is stored already: plan again, looking everything up.
            replans.incrementAndGet();
            return writeOnce(batch, now, true);
        }
    }

    /**
     * Makes every transaction committed before this call durable: one fsync of the WAL file. Thread-safe; runs
     * concurrently with the next transaction. A failed fsync fails the {@link DurabilityFence}: after it, what
     * the page cache holds may never reach the disk, so the store refuses to go on.
     */
    void sync() throws IOException {
        syncLock.lock();
        try {
            long written = fence.written();
            long position = fence.writtenPosition();
            try {
                if (walChannel == null) {
                    walChannel = FileChannel.open(wal, StandardOpenOption.WRITE);
                }
                walChannel.force(false);
            } catch (IOException | RuntimeException e) {
                fence.fail(new StoreUnavailableException("fsync of " + wal + " failed: " + e, e));
                throw e;
            }
            syncs.incrementAndGet();
            fence.durable(written, position);
        } finally {
            syncLock.unlock();
        }
    }

    private List<BatchPlanner.Outcome> writeOnce(List<Commit> batch, Instant now, boolean lookupAllIds) throws Exception {
        statements.execute("BEGIN IMMEDIATE");
        try {
            long last = catchUpWithOtherWriters();
            BatchPlanner.Plan plan = BatchPlanner.plan(batch, new WriterLookup(statements, tail, last, lookupAllIds), now, lookupAllIds);
            long indexed = insert(plan);
            commit(plan.events().isEmpty() ? 0 : plan.events().getLast().position());
            recent.committed(last, plan.events());
            tail.committed();
            if (indexed > 0) {
                tail.indexed(indexed);
            }
            transactions.incrementAndGet();
            return plan.outcomes();
        } catch (Exception e) {
            tail.rollback();
            statements.rollbackQuietly(e);
            throw e;
        }
    }

    /** Inserts the plan's rows; returns the position up to which it filled the stream index, 0 when it did not. */
    private long insert(BatchPlanner.Plan plan) throws SQLException {
        long indexed = 0;
        if (!plan.events().isEmpty()) {
            RowBatch insert = new RowBatch(statements.get(EventRows.INSERT));
            EventRows.Binder binder = new EventRows.Binder();
            for (RecordedEvent e : plan.events()) {
                binder.bind(insert.statement(), e);
                insert.add();
            }
            insert.finish();
            indexed = updateStreams(plan.events());
        }
        if (!plan.inbox().isEmpty()) {
            RowBatch rows = new RowBatch(statements.get(INSERT_INBOX));
            PreparedStatement insert = rows.statement();
            for (InboxRecord r : plan.inbox()) {
                insert.setBytes(1, EventRows.bytes(r.messageId()));
                insert.setString(2, r.consumer());
                insert.setBytes(3, r.result());
                insert.setLong(4, EventRows.nanos(r.recordedAt()));
                rows.add();
            }
            rows.finish();
        }
        if (!plan.checkpoints().isEmpty()) {
            RowBatch rows = new RowBatch(statements.get(UPSERT_CHECKPOINT));
            PreparedStatement upsert = rows.statement();
            for (CheckpointUpdate c : plan.checkpoints()) {
                upsert.setString(1, c.name());
                upsert.setLong(2, c.position());
                rows.add();
            }
            rows.finish();
        }
        return indexed;
    }

    /**
     * Adds the events to the tail index, which holds the versions of the streams written since the last round, and
     * fills the stream index when the tail has grown long enough; returns the position it was filled up to, 0 when it
     * was not.
     */
    private long updateStreams(List<RecordedEvent> events) throws SQLException {
        tail.add(events);
        long last = events.getLast().position();
        long indexedTo = indexedTo();
        if (last - indexedTo < indexEvery) {
            return 0;
        }
        indexTail(indexedTo, last);
        return last;
    }

    private long indexedTo() throws SQLException {
        try (ResultSet rs = statements.get(INDEXED_TO).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Indexes the events after {@code indexedTo}, up to {@code last}: one chunk per stream ({@link StreamChunks}), inserted
     * in the order of the streams' ids, from the tail index, which holds them all once this transaction has caught up
     * with other writers on the file. When there is no tail index yet (the round on open), when it does not hold exactly
     * that many, or when most streams of the round have one event, one chunk per event is inserted from the table
     * instead.
     */
    private void indexTail(long indexedTo, long last) throws SQLException {
        if (last <= indexedTo) {
            return;
        }
        StreamChunks.Builder chunks = new StreamChunks.Builder(statements.get(StreamChunks.INSERT));
        if (tail != null && tail.index(indexedTo, last, chunks)) {
            chunks.finish();
        } else {
            PreparedStatement each = statements.get(INDEX_EACH);
            each.setLong(1, indexedTo);
            each.setLong(2, last);
            each.executeUpdate();
        }
        PreparedStatement mark = statements.get(SET_INDEXED_TO);
        mark.setLong(1, last);
        mark.executeUpdate();
    }

    void saveSnapshot(Snapshot snapshot) throws SQLException {
        inTransaction(() -> {
            PreparedStatement upsert = statements.get(UPSERT_SNAPSHOT);
            upsert.setString(1, snapshot.stream().value());
            upsert.setLong(2, snapshot.version());
            upsert.setString(3, snapshot.type());
            upsert.setBytes(4, snapshot.state());
            upsert.executeUpdate();
            return null;
        });
    }

    /** Records purged per transaction at most (about): a purge never holds the writer for longer than that takes. */
    static final int PURGE_SLICE = 10_000;
    /** Time-ordered ids: where a slice of the key range [from, bound) ends, none when fewer than a slice remain. */
    static final String PURGE_ORDERED_SLICE_END =
            "SELECT message_id FROM inbox WHERE message_id >= ? AND message_id < ? ORDER BY message_id LIMIT 1 OFFSET " + PURGE_SLICE;
    /** Deletes records of time-ordered ids in a range of the inbox's key; each row's own time decides. */
    static final String PURGE_INBOX_ORDERED = "DELETE FROM inbox WHERE message_id >= ? AND message_id < ? AND recorded_at < ?";
    private static final String UNORDERED = "NOT (" + SqliteSchema.TIME_ORDERED_ID + ")";
    /** Other ids: where a slice of [from, cutoff) of their time ends, none when fewer than a slice remain. */
    static final String PURGE_UNORDERED_SLICE_END = "SELECT recorded_at FROM inbox WHERE recorded_at >= ? AND recorded_at < ? AND "
            + UNORDERED + " ORDER BY recorded_at LIMIT 1 OFFSET " + PURGE_SLICE;
    /** Deletes the other records in a range of time, found by the partial index on their time. */
    static final String PURGE_INBOX_UNORDERED = "DELETE FROM inbox WHERE recorded_at >= ? AND recorded_at < ? AND " + UNORDERED;

    /**
     * Deletes the inbox records recorded before {@code cutoff}, without an index on every record's time (inserting into
     * one cost about a third of the inbox's write): Tandem's message ids are version 7 UUIDs, whose first 48 bits are
     * their creation's milliseconds, so such records sort by time in the inbox's key, and those created before the
     * cutoff's millisecond are one range at its start; each is deleted if its own {@code recorded_at} is before the
     * cutoff. Records of other ids are found by a partial index on their time. A time-ordered id made by a clock ahead
     * of this store's stays until the cutoff passes its time too: records are kept at least the window, never less.
     * Deletes {@link #PURGE_SLICE} records or so per transaction, so commits wait for one slice at most.
     */
    int purgeInbox(Instant cutoff) throws SQLException {
        long nanos = EventRows.nanos(cutoff);
        byte[] bound = idsBefore(cutoff.toEpochMilli());
        int purged = 0;
        byte[] from = new byte[0]; // sorts below every id
        while (true) {
            byte[] sliceFrom = from;
            IdSlice slice = inTransaction(() -> {
                byte[] end = null;
                PreparedStatement find = statements.get(PURGE_ORDERED_SLICE_END);
                find.setBytes(1, sliceFrom);
                find.setBytes(2, bound);
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        end = rs.getBytes(1);
                    }
                }
                PreparedStatement delete = statements.get(PURGE_INBOX_ORDERED);
                delete.setBytes(1, sliceFrom);
                delete.setBytes(2, end == null ? bound : end);
                delete.setLong(3, nanos);
                return new IdSlice(delete.executeUpdate(), end);
            });
            purged += slice.deleted();
            if (slice.next() == null) {
                break;
            }
            from = slice.next();
        }
        long fromNanos = Long.MIN_VALUE;
        while (fromNanos < nanos) {
            long sliceFrom = fromNanos;
            TimeSlice slice = inTransaction(() -> {
                long end = nanos;
                PreparedStatement find = statements.get(PURGE_UNORDERED_SLICE_END);
                find.setLong(1, sliceFrom);
                find.setLong(2, nanos);
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        end = Math.max(rs.getLong(1), sliceFrom + 1); // more than a slice at one instant: all of them now
                    }
                }
                PreparedStatement delete = statements.get(PURGE_INBOX_UNORDERED);
                delete.setLong(1, sliceFrom);
                delete.setLong(2, end);
                return new TimeSlice(delete.executeUpdate(), end);
            });
            purged += slice.deleted();
            fromNanos = slice.end();
        }
        return purged;
    }

    /** A purged slice of time-ordered ids: how many went, and where the next slice starts (null: none left). */
    private record IdSlice(int deleted, byte[] next) {}

    /** A purged slice of the other ids: how many went, and where it ended (the cutoff: none left). */
    private record TimeSlice(int deleted, long end) {}

    /** The lowest 16-byte id of millisecond {@code millis}: every version 7 id of an earlier millisecond sorts below it. */
    static byte[] idsBefore(long millis) {
        byte[] bound = new byte[16];
        long ms = Math.clamp(millis, 0, (1L << 48) - 1);
        for (int i = 0; i < 6; i++) {
            bound[i] = (byte) (ms >>> (40 - 8 * i));
        }
        return bound;
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Commits the open transaction, numbered in the {@link DurabilityFence}: only from here on can readers see it,
     * so a read waits for its sync, and not for a transaction still waiting for SQLite's write lock.
     *
     * @param lastPosition the highest event position it writes, 0 when it writes no event
     */
    private void commit(long lastPosition) throws SQLException {
        long number = fence.begin();
        boolean committed = false;
        try {
            statements.execute("COMMIT");
            committed = true;
        } finally {
            fence.written(number, committed ? lastPosition : 0);
        }
    }

    /** One transaction outside the group committer, durable on return. */
    private <T> T inTransaction(Work<T> work) throws SQLException {
        T result;
        lock.lock();
        try {
            result = transaction(work);
        } finally {
            lock.unlock();
        }
        try {
            sync();
        } catch (IOException e) {
            throw new SQLException("the transaction committed but could not be made durable: " + e, e);
        }
        return result;
    }

    private <T> T transaction(Work<T> work) throws SQLException {
        statements.execute("BEGIN IMMEDIATE");
        try {
            T result = work.run();
            commit(0);
            transactions.incrementAndGet();
            return result;
        } catch (SQLException | RuntimeException e) {
            statements.rollbackQuietly(e);
            throw e;
        }
    }

    /** Write transactions committed so far (one per group-commit batch, plus snapshots and purges). */
    long transactions() {
        return transactions.get();
    }

    /** Fsyncs of the WAL so far. */
    long syncs() {
        return syncs.get();
    }

    /** Batches planned a second time because the unique index on event ids fired. */
    long replans() {
        return replans.get();
    }

    private void closeWal() {
        syncLock.lock();
        try {
            if (walChannel != null) {
                walChannel.close();
                walChannel = null;
            }
        } catch (IOException e) {
            // only the fsync handle: every acknowledged commit was synced through it before
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            statements.close();
            connection.close();
        } finally {
            lock.unlock();
            closeWal();
        }
    }
}
