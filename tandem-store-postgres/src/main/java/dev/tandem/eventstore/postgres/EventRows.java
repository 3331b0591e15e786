package dev.tandem.eventstore.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How events and inbox records map to rows of the store's tables, both ways. */
final class EventRows {

    /** The columns {@link #event} reads, in order. */
    static final String EVENT_COLUMNS = "position, id, stream_id, version, type, payload, content_type, correlation_id, causation_id, "
            + "transaction_id, headers, route_destination, route_partition_key, recorded_at, recorded_nano";

    /** Rows per INSERT statement, and payload bytes per statement, so one statement stays of modest size. */
    private static final int MAX_ROWS_PER_INSERT = 5_000;
    private static final long MAX_BYTES_PER_INSERT = 16L * 1024 * 1024;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private EventRows() {}

    static RecordedEvent event(ResultSet rs) throws SQLException {
        String destination = rs.getString(12);
        Route route = destination == null ? null : new Route(destination, rs.getString(13));
        return new RecordedEvent(
                rs.getObject(2, UUID.class),
                StreamId.of(rs.getString(3)),
                rs.getLong(4),
                rs.getLong(1),
                rs.getString(5),
                rs.getBytes(6),
                rs.getString(7),
                metadata(rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)),
                route,
                instant(rs.getObject(14, OffsetDateTime.class), rs.getInt(15)));
    }

    static InboxRecord inbox(ResultSet rs) throws SQLException {
        return new InboxRecord(rs.getString(1), rs.getObject(2, UUID.class), rs.getBytes(3), instant(rs.getObject(4, OffsetDateTime.class), rs.getInt(5)));
    }

    private static Metadata metadata(String correlation, String causation, String transaction, String headersJson) {
        if (correlation == null && causation == null && transaction == null && headersJson == null) {
            return Metadata.EMPTY;
        }
        Map<String, String> headers;
        try {
            headers = headersJson == null ? Map.of() : Json.mapper().readValue(headersJson, HEADERS);
        } catch (IOException e) {
            throw new UncheckedIOException("stored event headers are not a JSON object: " + headersJson, e);
        }
        return new Metadata(correlation, causation, transaction, headers);
    }

    /** The column value for an instant: microseconds (PostgreSQL's precision), truncated so the second never rounds up. */
    static OffsetDateTime micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime micros, int nano) {
        return micros.toInstant().truncatedTo(ChronoUnit.SECONDS).plusNanos(nano);
    }

    /** Inserts {@code events} (all recorded at {@code at}) with as few statements as their size allows. */
    static void insertEvents(Connection c, String table, List<RecordedEvent> events, Instant at) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + EVENT_COLUMNS + ") SELECT r.*, ?, ? FROM unnest("
                + "?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::text[]) AS r";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int from = 0;
            while (from < events.size()) {
                int to = from;
                long bytes = 0;
                while (to < events.size() && to - from < MAX_ROWS_PER_INSERT && (to == from || bytes + events.get(to).payload().length <= MAX_BYTES_PER_INSERT)) {
                    bytes += events.get(to).payload().length;
                    to++;
                }
                bind(c, ps, events.subList(from, to), at);
                ps.executeUpdate();
                from = to;
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<RecordedEvent> rows, Instant at) throws SQLException {
        int n = rows.size();
        Long[] positions = new Long[n];
        UUID[] ids = new UUID[n];
        String[] streams = new String[n];
        Long[] versions = new Long[n];
        String[] types = new String[n];
        byte[][] payloads = new byte[n][];
        String[] contentTypes = new String[n];
        String[] correlations = new String[n];
        String[] causations = new String[n];
        String[] transactions = new String[n];
        String[] headers = new String[n];
        String[] destinations = new String[n];
        String[] partitionKeys = new String[n];
        for (int i = 0; i < n; i++) {
            RecordedEvent e = rows.get(i);
            positions[i] = e.position();
            ids[i] = e.id();
            streams[i] = e.stream().value();
            versions[i] = e.version();
            types[i] = e.type();
            payloads[i] = e.payload();
            contentTypes[i] = e.contentType();
            Metadata m = e.metadata();
            correlations[i] = m.correlationId();
            causations[i] = m.causationId();
            transactions[i] = m.transactionId();
            headers[i] = m.headers().isEmpty() ? null : new String(Json.encode(m.headers()), java.nio.charset.StandardCharsets.UTF_8);
            if (e.route() != null) {
                destinations[i] = e.route().destination();
                partitionKeys[i] = e.route().partitionKey();
            }
        }
        ps.setObject(1, micros(at));
        ps.setInt(2, at.getNano());
        ps.setArray(3, c.createArrayOf("int8", positions));
        ps.setArray(4, c.createArrayOf("uuid", ids));
        ps.setArray(5, c.createArrayOf("text", streams));
        ps.setArray(6, c.createArrayOf("int8", versions));
        ps.setArray(7, c.createArrayOf("text", types));
        ps.setArray(8, c.createArrayOf("bytea", payloads));
        ps.setArray(9, c.createArrayOf("text", contentTypes));
        ps.setArray(10, c.createArrayOf("text", correlations));
        ps.setArray(11, c.createArrayOf("text", causations));
        ps.setArray(12, c.createArrayOf("text", transactions));
        ps.setArray(13, c.createArrayOf("text", headers));
        ps.setArray(14, c.createArrayOf("text", destinations));
        ps.setArray(15, c.createArrayOf("text", partitionKeys));
    }
}
