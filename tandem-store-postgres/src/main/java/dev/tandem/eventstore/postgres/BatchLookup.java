package dev.tandem.eventstore.postgres;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamGuard;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.eventstore.support.BatchPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Takes the batch lock and reads everything a batch's plan needs in one round trip.
 *
 * <p>One multi-statement query: lock (with the {@code pg_notify} for other processes, delivered only
 * if the transaction commits), highest position, stream versions, the ids that may be idempotent
 * repeats, and the inbox keys. Each statement after the lock takes its snapshot after the lock was
 * granted (READ COMMITTED), so it sees every batch committed before. The planner may ask for further
 * ids (writes whose expected version does not match); those cost one more round trip.
 */
final class BatchLookup implements BatchPlanner.Lookup {

    private final Connection connection;
    private final String events;
    private final Map<StreamId, Long> versions = new HashMap<>();
    private final Set<UUID> fetchedIds;
    private final Map<UUID, RecordedEvent> stored = new HashMap<>();
    private final Map<BatchPlanner.InboxKey, InboxRecord> inbox = new HashMap<>();
    private long lastPosition;

    private BatchLookup(Connection connection, String events, Set<UUID> fetchedIds) {
        this.connection = connection;
        this.events = events;
        this.fetchedIds = fetchedIds;
    }

    /** The one statement text for a schema; its parameters are bound by {@link #lockAndRead}. */
    static String sql(String events, String inbox) {
        return "SELECT pg_advisory_xact_lock(?, ?), pg_notify(?, ?);"
                + "SELECT coalesce(max(position), 0) FROM " + events + ";"
                + "SELECT s.id, (SELECT e.version FROM " + events + " e WHERE e.stream_id = s.id ORDER BY e.version DESC LIMIT 1)"
                + " FROM unnest(?::text[]) AS s(id);"
                + "SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events + " WHERE id = ANY(?::uuid[]);"
                + "SELECT i.consumer, i.message_id, i.result, i.recorded_at, i.recorded_nano FROM " + inbox
                + " i JOIN unnest(?::text[], ?::uuid[]) AS k(consumer, message_id) ON i.consumer = k.consumer AND i.message_id = k.message_id";
    }

    /** Locks the schema's positions for this transaction and reads the batch's state. */
    static BatchLookup lockAndRead(Connection c, String sql, String events, int lockKey, String channel, String schema, Iterable<Commit> batch,
            boolean allIds)
            throws SQLException {
        Set<String> streams = new LinkedHashSet<>();
        Set<UUID> ids = new HashSet<>();
        Set<BatchPlanner.InboxKey> keys = new LinkedHashSet<>();
        for (Commit commit : batch) {
            for (StreamWrite w : commit.writes()) {
                streams.add(w.stream().value());
                if (allIds) { // otherwise the planner asks only for ids of writes whose version does not match, fetched then
                    for (NewEvent e : w.events()) {
                        ids.add(e.id());
                    }
                }
            }
            for (StreamGuard g : commit.guards()) {
                streams.add(g.stream().value());
            }
            for (InboxEntry e : commit.inbox()) {
                keys.add(new BatchPlanner.InboxKey(e.consumer(), e.messageId()));
            }
        }
        BatchLookup lookup = new BatchLookup(c, events, ids);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, PostgresSchema.LOCK_CLASS);
            ps.setInt(2, lockKey);
            ps.setString(3, channel);
            ps.setString(4, schema);
            ps.setArray(5, c.createArrayOf("text", streams.toArray(String[]::new)));
            ps.setArray(6, c.createArrayOf("uuid", ids.toArray(UUID[]::new)));
            ps.setArray(7, c.createArrayOf("text", keys.stream().map(BatchPlanner.InboxKey::consumer).toArray(String[]::new)));
            ps.setArray(8, c.createArrayOf("uuid", keys.stream().map(BatchPlanner.InboxKey::messageId).toArray(UUID[]::new)));
            ps.execute();
            lookup.readAll(ps);
        }
        return lookup;
    }

    private void readAll(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = next(ps)) {
            rs.next();
            lastPosition = rs.getLong(1);
        }
        try (ResultSet rs = next(ps)) {
            while (rs.next()) {
                long version = rs.getLong(2);
                if (!rs.wasNull()) {
                    versions.put(StreamId.of(rs.getString(1)), version);
                }
            }
        }
        try (ResultSet rs = next(ps)) {
            EventRows.Reader reader = new EventRows.Reader();
            while (rs.next()) {
                RecordedEvent e = reader.event(rs);
                stored.put(e.id(), e);
            }
        }
        try (ResultSet rs = next(ps)) {
            while (rs.next()) {
                InboxRecord r = EventRows.inbox(rs);
                inbox.put(new BatchPlanner.InboxKey(r.consumer(), r.messageId()), r);
            }
        }
    }

    private static ResultSet next(PreparedStatement ps) throws SQLException {
        if (!ps.getMoreResults()) {
            throw new SQLException("the batch lookup returned fewer results than statements");
        }
        return ps.getResultSet();
    }

    @Override
    public Map<StreamId, Long> streamVersions(List<StreamId> streams) {
        return versions;
    }

    @Override
    public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) throws SQLException {
        Set<UUID> missing = new HashSet<>(ids);
        missing.removeAll(fetchedIds);
        if (!missing.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events + " WHERE id = ANY(?::uuid[])")) {
                ps.setArray(1, connection.createArrayOf("uuid", missing.toArray(UUID[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RecordedEvent e = EventRows.event(rs);
                        stored.put(e.id(), e);
                    }
                }
            }
            fetchedIds.addAll(missing);
        }
        return stored;
    }

    @Override
    public Map<BatchPlanner.InboxKey, InboxRecord> inbox(List<BatchPlanner.InboxKey> keys) {
        return inbox;
    }

    @Override
    public long lastPosition() {
        return lastPosition;
    }
}
