package dev.tandem.eventstore.postgres;

import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.support.BatchPlanner;
import dev.tandem.eventstore.support.GroupCommitter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>A batch costs a handful of round trips whatever its size: lock, stream versions (with
 * {@code = ANY}), event ids that may be repeats, inbox keys, highest position, then one
 * {@code unnest} insert per table, {@code pg_notify}, commit. Only ids of writes that may be repeats
 * are looked up; a new event reusing a stored id trips the unique index, and the batch is planned
 * again with every id looked up, which turns that write into a refusal.
 */
final class PostgresBatchWriter implements GroupCommitter.BatchWriter {

    /** The channel other processes' stores LISTEN on; the payload is the schema name. */
    static final String CHANNEL = "tandem_events";

    private final DataSource dataSource;
    private final String schema;
    private final InstantSource clock;
    private final int lockKey;
    private final String events;
    private final String inbox;
    private final String checkpoints;

    PostgresBatchWriter(DataSource dataSource, String schema, InstantSource clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.clock = clock;
        this.lockKey = PostgresSchema.lockKey(schema);
        this.events = PostgresSchema.table(schema, "events");
        this.inbox = PostgresSchema.table(schema, "inbox");
        this.checkpoints = PostgresSchema.table(schema, "checkpoints");
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
            if (!PostgresErrors.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(); // a new event reused a stored id: plan again, this time looking every id up
        }
        return planAndInsert(c, batch, now, true);
    }

    private List<BatchPlanner.Outcome> planAndInsert(Connection c, List<Commit> batch, Instant now, boolean lookupAllIds) throws Exception {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, PostgresSchema.LOCK_CLASS);
            lock.setInt(2, lockKey);
            lock.execute();
        }
        BatchPlanner.Plan plan = BatchPlanner.plan(batch, new Lookup(c), now, lookupAllIds);
        if (!plan.events().isEmpty()) {
            EventRows.insertEvents(c, events, plan.events(), now);
        }
        if (!plan.inbox().isEmpty()) {
            insertInbox(c, plan.inbox(), now);
        }
        if (!plan.checkpoints().isEmpty()) {
            upsertCheckpoints(c, plan.checkpoints());
        }
        if (!plan.events().isEmpty()) {
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, schema);
                notify.execute();
            }
        }
        c.commit();
        return plan.outcomes();
    }

    private void insertInbox(Connection c, List<InboxRecord> records, Instant now) throws SQLException {
        int n = records.size();
        String[] consumers = new String[n];
        UUID[] ids = new UUID[n];
        byte[][] results = new byte[n][];
        for (int i = 0; i < n; i++) {
            consumers[i] = records.get(i).consumer();
            ids[i] = records.get(i).messageId();
            results[i] = records.get(i).result();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + inbox + " (consumer, message_id, result, recorded_at, recorded_nano) "
                + "SELECT r.*, ?, ? FROM unnest(?::text[], ?::uuid[], ?::bytea[]) AS r")) {
            ps.setObject(1, EventRows.micros(now));
            ps.setInt(2, now.getNano());
            ps.setArray(3, c.createArrayOf("text", consumers));
            ps.setArray(4, c.createArrayOf("uuid", ids));
            ps.setArray(5, c.createArrayOf("bytea", results));
            ps.executeUpdate();
        }
    }

    private void upsertCheckpoints(Connection c, List<CheckpointUpdate> updates) throws SQLException {
        Map<String, Long> latest = new LinkedHashMap<>(); // one row per name: the batch's last update wins
        for (CheckpointUpdate u : updates) {
            latest.put(u.name(), u.position());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + checkpoints + " (name, position) "
                + "SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT (name) DO UPDATE SET position = excluded.position")) {
            ps.setArray(1, c.createArrayOf("text", latest.keySet().toArray(String[]::new)));
            ps.setArray(2, c.createArrayOf("int8", latest.values().toArray(Long[]::new)));
            ps.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Reads the state a batch depends on, inside its transaction and under the lock. */
    private final class Lookup implements BatchPlanner.Lookup {
        private final Connection c;

        Lookup(Connection c) {
            this.c = c;
        }

        @Override
        public Map<StreamId, Long> streamVersions(Set<StreamId> streams) throws SQLException {
            String[] names = streams.stream().map(StreamId::value).toArray(String[]::new);
            Map<StreamId, Long> result = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, (SELECT e.version FROM " + events
                    + " e WHERE e.stream_id = s.id ORDER BY e.version DESC LIMIT 1) FROM unnest(?::text[]) AS s(id)")) {
                ps.setArray(1, c.createArrayOf("text", names));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long version = rs.getLong(2);
                        if (!rs.wasNull()) {
                            result.put(StreamId.of(rs.getString(1)), version);
                        }
                    }
                }
            }
            return result;
        }

        @Override
        public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) throws SQLException {
            Map<UUID, RecordedEvent> result = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events + " WHERE id = ANY(?::uuid[])")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray(UUID[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RecordedEvent e = EventRows.event(rs);
                        result.put(e.id(), e);
                    }
                }
            }
            return result;
        }

        @Override
        public Map<BatchPlanner.InboxKey, InboxRecord> inbox(Set<BatchPlanner.InboxKey> keys) throws SQLException {
            String[] consumers = keys.stream().map(BatchPlanner.InboxKey::consumer).toArray(String[]::new);
            UUID[] ids = keys.stream().map(BatchPlanner.InboxKey::messageId).toArray(UUID[]::new);
            Map<BatchPlanner.InboxKey, InboxRecord> result = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT i.consumer, i.message_id, i.result, i.recorded_at, i.recorded_nano FROM " + inbox
                    + " i JOIN unnest(?::text[], ?::uuid[]) AS k(consumer, message_id) ON i.consumer = k.consumer AND i.message_id = k.message_id")) {
                ps.setArray(1, c.createArrayOf("text", consumers));
                ps.setArray(2, c.createArrayOf("uuid", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        InboxRecord r = EventRows.inbox(rs);
                        result.put(new BatchPlanner.InboxKey(r.consumer(), r.messageId()), r);
                    }
                }
            }
            return result;
        }

        @Override
        public long lastPosition() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(position), 0) FROM " + events);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
