package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.support.BatchPlanner;
import dev.tandem.eventstore.support.GroupCommitter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one connection that writes: each group-commit batch becomes one {@code BEGIN IMMEDIATE … COMMIT}
 * transaction, so one fsync of the WAL makes the whole batch durable.
 *
 * <p>The planner's reads run on this connection inside the write transaction, so nothing can change
 * between what it saw and what is written. Positions are taken from the highest stored position
 * inside that transaction; as there is only one writer per file and a transaction becomes visible
 * all at once, a reader can never see position 11 without 10.
 */
final class SqliteWriter implements GroupCommitter.BatchWriter, AutoCloseable {

    private static final String INSERT_INBOX = "INSERT INTO inbox (consumer, message_id, result, recorded_at) VALUES (?, ?, ?, ?)";
    private static final String UPSERT_CHECKPOINT =
            "INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position";
    private static final String UPSERT_SNAPSHOT = "INSERT INTO snapshots (stream, version, type, state) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (stream) DO UPDATE SET version = excluded.version, type = excluded.type, state = excluded.state";

    private final Connection connection;
    private final Statement control;
    private final StatementCache statements;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong replans = new AtomicLong();

    SqliteWriter(Connection connection, InstantSource clock) throws SQLException {
        this.connection = connection;
        this.control = connection.createStatement();
        this.statements = new StatementCache(connection);
        this.clock = clock;
    }

    @Override
    public List<BatchPlanner.Outcome> write(List<Commit> batch) throws Exception {
        lock.lock();
        try {
            Instant now = clock.instant();
            try {
                return writeOnce(batch, now, false);
            } catch (SQLException e) {
                if (!SqliteErrors.isConstraintViolation(e)) {
                    throw e;
                }
                // An id the planner did not look up is stored already: plan again, this time looking up every id.
                replans.incrementAndGet();
                return writeOnce(batch, now, true);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<BatchPlanner.Outcome> writeOnce(List<Commit> batch, Instant now, boolean lookupAllIds) throws Exception {
        control.execute("BEGIN IMMEDIATE");
        try {
            BatchPlanner.Plan plan = BatchPlanner.plan(batch, new WriterLookup(statements), now, lookupAllIds);
            insert(plan);
            control.execute("COMMIT");
            transactions.incrementAndGet();
            return plan.outcomes();
        } catch (Exception e) {
            SqliteSchema.rollbackQuietly(control, e);
            throw e;
        }
    }

    private void insert(BatchPlanner.Plan plan) throws SQLException {
        if (!plan.events().isEmpty()) {
            PreparedStatement insert = statements.get(EventRows.INSERT);
            EventRows.Binder binder = new EventRows.Binder();
            for (RecordedEvent e : plan.events()) {
                binder.bind(insert, e);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (!plan.inbox().isEmpty()) {
            PreparedStatement insert = statements.get(INSERT_INBOX);
            for (InboxRecord r : plan.inbox()) {
                insert.setString(1, r.consumer());
                insert.setBytes(2, EventRows.bytes(r.messageId()));
                insert.setBytes(3, r.result());
                insert.setLong(4, EventRows.nanos(r.recordedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (!plan.checkpoints().isEmpty()) {
            PreparedStatement upsert = statements.get(UPSERT_CHECKPOINT);
            for (CheckpointUpdate c : plan.checkpoints()) {
                upsert.setString(1, c.name());
                upsert.setLong(2, c.position());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
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

    int purgeInbox(Instant cutoff) throws SQLException {
        return inTransaction(() -> {
            PreparedStatement delete = statements.get("DELETE FROM inbox WHERE recorded_at < ?");
            delete.setLong(1, EventRows.nanos(cutoff));
            return delete.executeUpdate();
        });
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        lock.lock();
        try {
            control.execute("BEGIN IMMEDIATE");
            try {
                T result = work.run();
                control.execute("COMMIT");
                transactions.incrementAndGet();
                return result;
            } catch (SQLException | RuntimeException e) {
                SqliteSchema.rollbackQuietly(control, e);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Write transactions committed so far (one per group-commit batch, plus snapshots and purges). */
    long transactions() {
        return transactions.get();
    }

    /** Batches planned a second time because the unique index on event ids fired. */
    long replans() {
        return replans.get();
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            statements.close();
            control.close();
            connection.close();
        } finally {
            lock.unlock();
        }
    }
}
