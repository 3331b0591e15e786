package dev.tandem.eventstore.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.support.BatchPlanner;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What the batch planner reads, read on the writer's connection inside its write transaction. */
final class WriterLookup implements BatchPlanner.Lookup {

    /** One statement for all streams of a batch: the streams come as one JSON array parameter. */
    static final String STREAM_VERSIONS = "SELECT j.value, (SELECT c.last_version FROM stream_chunks c WHERE c.stream = j.value"
            + " ORDER BY c.first_version DESC LIMIT 1) FROM json_each(?) j";
    static final String EVENTS_BY_ID = "SELECT " + EventRows.COLUMNS + " FROM events WHERE id IN (SELECT unhex(value) FROM json_each(?))";
    static final String INBOX_BY_KEY = "SELECT result, recorded_at FROM inbox WHERE consumer = ? AND message_id = ?";
    static final String LAST_POSITION = "SELECT max(position) FROM events";

    private final StatementCache statements;
    private final TailIndex tail;
    private final long lastPosition;
    private final boolean lookupInbox;

    /**
     * @param lastPosition the highest position stored, read by the writer in this transaction
     * @param lookupInbox false to take every inbox key of the batch as new: the inbox's primary key then refuses a
     *     stored one and the writer plans again with look-ups (consumers check their inbox before handling, so a
     *     stored key reaching the writer is a rare race, and the look-up was one query per message)
     */
    WriterLookup(StatementCache statements, TailIndex tail, long lastPosition, boolean lookupInbox) {
        this.statements = statements;
        this.tail = tail;
        this.lastPosition = lastPosition;
        this.lookupInbox = lookupInbox;
    }

    /** A stream written since the last index round has its version in the tail index; the others by their last chunk in {@code stream_chunks}. */
    @Override
    public Map<StreamId, Long> streamVersions(List<StreamId> streams) throws SQLException {
        Map<StreamId, Long> versions = HashMap.newHashMap(streams.size());
        Map<String, StreamId> byText = null;
        for (StreamId s : streams) {
            long version = tail.latestVersion(s.value());
            if (version > 0) {
                versions.put(s, version);
            } else {
                if (byText == null) {
                    byText = new HashMap<>();
                }
                byText.put(s.value(), s);
            }
        }
        if (byText == null) {
            return versions;
        }
        PreparedStatement query = statements.get(STREAM_VERSIONS);
        query.setString(1, jsonArray(byText.keySet()));
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                long version = rs.getLong(2);
                if (!rs.wasNull()) {
                    versions.put(byText.get(rs.getString(1)), version);
                }
            }
        }
        return versions;
    }

    @Override
    public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) throws SQLException {
        StringBuilder json = new StringBuilder(ids.size() * 35 + 2).append('[');
        for (UUID id : ids) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            hex(json, id.getMostSignificantBits());
            hex(json, id.getLeastSignificantBits());
            json.append('"');
        }
        json.append(']');
        Map<UUID, RecordedEvent> events = new HashMap<>();
        PreparedStatement query = statements.get(EVENTS_BY_ID);
        query.setString(1, json.toString());
        EventRows.Reader reader = new EventRows.Reader();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                RecordedEvent e = reader.read(rs);
                events.put(e.id(), e);
            }
        }
        return events;
    }

    private static void hex(StringBuilder out, long bits) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.append(Character.forDigit((int) (bits >>> shift) & 0xF, 16));
        }
    }

    private static String jsonArray(Iterable<String> values) {
        try {
            return Json.mapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stream ids cannot be written as a JSON array: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Map<BatchPlanner.InboxKey, InboxRecord> inbox(List<BatchPlanner.InboxKey> keys) throws SQLException {
        Map<BatchPlanner.InboxKey, InboxRecord> records = new HashMap<>();
        if (!lookupInbox) {
            return records;
        }
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
    public long lastPosition() {
        return lastPosition;
    }

    static long lastPosition(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
