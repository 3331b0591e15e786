package dev.tandem.eventstore.postgres;

import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.support.BatchPlanner;
import dev.tandem.eventstore.support.GroupCommitter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes one group-commit batch in one PostgreSQL transaction.
 *
 * <p><b>Why a subscriber never skips an event.</b> Positions are assigned by the {@link BatchPlanner}
 * from the highest stored position, and every batch transaction first takes one transaction-scoped
 * advisory lock per schema ({@code pg_advisory_xact_lock}), in every process that writes the store.
 * So batch transactions run one after the other: the next one reads the highest position only after
 * the previous one has committed, and PostgreSQL makes a commit visible to new snapshots before it
 * releases the transaction's locks. Hence a transaction holding position 11 starts planning only
 * after the one holding 10 is visible, and any snapshot that sees 11 also sees 10: the events a
 * reader sees are always a prefix of the final order. (A rolled-back batch leaves no rows, and the
 * next batch reuses its positions.) {@code PostgresNoSkipIT} forces the interleaving.
 *
 * <p>A batch costs two round trips whatever its size: one multi-statement {@link BatchLookup}
 * (lock, {@code pg_notify}, highest position, stream versions with {@code = ANY}, ids that may be
 * repeats, inbox keys), then one {@link BatchInsert} ({@code unnest} inserts into each table written,
 * and {@code COMMIT}). Only ids of writes that may be repeats are looked up; a new event reusing a
 * stored id trips the unique index, and the batch is planned again with every id looked up, which
 * turns that write into a refusal.
 */
final class PostgresBatchWriter implements GroupCommitter.BatchWriter {

    private final DataSource dataSource;
    private final String schema;
    private final InstantSource clock;
    private final int lockKey;
    private final String channel;
    private final String events;
    private final String lookupSql;
    private final String inboxSql;
    private final String checkpointSql;

    PostgresBatchWriter(DataSource dataSource, String schema, InstantSource clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.clock = clock;
        this.lockKey = PostgresSchema.lockKey(schema);
        this.channel = PostgresSchema.channel(schema);
        this.events = PostgresSchema.table(schema, "events");
        String inbox = PostgresSchema.table(schema, "inbox");
        String checkpoints = PostgresSchema.table(schema, "checkpoints");
        this.lookupSql = BatchLookup.sql(events, inbox);
        this.inboxSql = "INSERT INTO " + inbox + " (consumer, message_id, result, recorded_at, recorded_nano) "
                + "SELECT r.*, ?, ? FROM unnest(?::text[], ?::uuid[], ?::bytea[]) AS r";
        this.checkpointSql = "INSERT INTO " + checkpoints + " (name, position) SELECT * FROM unnest(?::text[], ?::bigint[]) "
                + "ON CONFLICT (name) DO UPDATE SET position = excluded.position";
    }

    @Override
    public List<BatchPlanner.Outcome> write(List<Commit> batch) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                return writeIn(c, batch);
            } catch (Exception e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private List<BatchPlanner.Outcome> writeIn(Connection c, List<Commit> batch) throws Exception {
        Instant now = clock.instant();
        try {
            return planAndInsert(c, batch, now, false);
        } catch (SQLException e) {
            if (!PostgresErrors.isUniqueViolation(e, "events_id_key") && !PostgresErrors.isUniqueViolation(e, "inbox_pkey")) {
                throw e; // any other unique violation would be a broken invariant: let the batch fail
            }
            // A new event reused a stored id, or two commits of the batch carried one inbox entry: plan again, this time
            // comparing every id and inbox key with the store and the rest of the batch.
            c.rollback();
        }
        return planAndInsert(c, batch, now, true);
    }

    private List<BatchPlanner.Outcome> planAndInsert(Connection c, List<Commit> batch, Instant now, boolean lookupAllIds) throws Exception {
        BatchLookup lookup = BatchLookup.lockAndRead(c, lookupSql, events, lockKey, channel, schema, batch, lookupAllIds);
        BatchPlanner.Plan plan = BatchPlanner.plan(batch, lookup, now, lookupAllIds);
        BatchInsert insert = new BatchInsert();
        List<List<RecordedEvent>> chunks = EventRows.chunks(plan.events());
        if (chunks.size() > 1) { // only a very large batch: all but its last chunk go first, one statement each
            EventRows.insertEvents(c, events, plan.events().subList(0, plan.events().size() - chunks.getLast().size()), now);
        }
        if (!chunks.isEmpty()) {
            insert.add(EventRows.insertSql(events), (conn, ps, i) -> EventRows.bind(conn, ps, i, chunks.getLast(), now));
        }
        if (!plan.inbox().isEmpty()) {
            insert.add(inboxSql, (conn, ps, i) -> bindInbox(conn, ps, i, plan.inbox(), now));
        }
        if (!plan.checkpoints().isEmpty()) {
            insert.add(checkpointSql, (conn, ps, i) -> bindCheckpoints(conn, ps, i, plan.checkpoints()));
        }
        insert.executeAndCommit(c);
        return plan.outcomes();
    }

    private static int bindInbox(Connection c, PreparedStatement ps, int index, List<InboxRecord> records, Instant now) throws SQLException {
        int n = records.size();
        String[] consumers = new String[n];
        UUID[] ids = new UUID[n];
        byte[][] results = new byte[n][];
        for (int i = 0; i < n; i++) {
            consumers[i] = records.get(i).consumer();
            ids[i] = records.get(i).messageId();
            results[i] = records.get(i).result();
        }
        ps.setObject(index, EventRows.micros(now));
        ps.setInt(index + 1, now.getNano());
        ps.setArray(index + 2, c.createArrayOf("text", consumers));
        ps.setArray(index + 3, c.createArrayOf("uuid", ids));
        ps.setArray(index + 4, c.createArrayOf("bytea", results));
        return index + 5;
    }

    private static int bindCheckpoints(Connection c, PreparedStatement ps, int index, List<CheckpointUpdate> updates) throws SQLException {
        Map<String, Long> latest = new LinkedHashMap<>(); // one row per name: the batch's last update wins
        for (CheckpointUpdate u : updates) {
            latest.put(u.name(), u.position());
        }
        ps.setArray(index, c.createArrayOf("text", latest.keySet().toArray(String[]::new)));
        ps.setArray(index + 1, c.createArrayOf("int8", latest.values().toArray(Long[]::new)));
        return index + 2;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
