package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.support.BatchPlanner;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What the batch planner reads, read on the writer's connection inside its write transaction. */
final class WriterLookup implements BatchPlanner.Lookup {

    static final String STREAM_VERSION = "SELECT version FROM events WHERE stream = ? ORDER BY version DESC LIMIT 1";
    static final String EVENT_BY_ID = "SELECT " + EventRows.COLUMNS + " FROM events WHERE id = ?";
    static final String INBOX_BY_KEY = "SELECT result, recorded_at FROM inbox WHERE consumer = ? AND message_id = ?";
    static final String LAST_POSITION = "SELECT max(position) FROM events";

    private final StatementCache statements;

    WriterLookup(StatementCache statements) {
        this.statements = statements;
    }

    @Override
    public Map<StreamId, Long> streamVersions(Set<StreamId> streams) throws SQLException {
        Map<StreamId, Long> versions = new HashMap<>();
        PreparedStatement query = statements.get(STREAM_VERSION);
        for (StreamId stream : streams) {
            query.setString(1, stream.value());
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    versions.put(stream, rs.getLong(1));
                }
            }
        }
        return versions;
    }

    @Override
    public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) throws SQLException {
        Map<UUID, RecordedEvent> events = new HashMap<>();
        PreparedStatement query = statements.get(EVENT_BY_ID);
        for (UUID id : ids) {
            query.setBytes(1, EventRows.bytes(id));
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    events.put(id, EventRows.read(rs));
                }
            }
        }
        return events;
    }

    @Override
    public Map<BatchPlanner.InboxKey, InboxRecord> inbox(Set<BatchPlanner.InboxKey> keys) throws SQLException {
        Map<BatchPlanner.InboxKey, InboxRecord> records = new HashMap<>();
        PreparedStatement query = statements.get(INBOX_BY_KEY);
        for (BatchPlanner.InboxKey key : keys) {
            InboxRecord r = findInbox(query, key.consumer(), key.messageId());
            if (r != null) {
                records.put(key, r);
            }
        }
        return records;
    }

    /** Reads one inbox record with {@link #INBOX_BY_KEY}; null when absent. */
    static InboxRecord findInbox(PreparedStatement query, String consumer, UUID messageId) throws SQLException {
        query.setString(1, consumer);
        query.setBytes(2, EventRows.bytes(messageId));
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new InboxRecord(consumer, messageId, EventRows.nullableBlob(rs, 1), EventRows.instant(rs.getLong(2)));
        }
    }

    @Override
    public long lastPosition() throws SQLException {
        return lastPosition(statements.get(LAST_POSITION));
    }

    static long lastPosition(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
