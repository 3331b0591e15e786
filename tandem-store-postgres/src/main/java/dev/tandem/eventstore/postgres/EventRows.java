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
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        return new Reader().event(rs);
    }

    /**
     * Reads event rows, reusing the stream id, metadata and timestamp of the previous row when they are the
     * same: consecutive rows usually come from one batch, and rebuilding these per row dominated catch-up reads.
     */
    static final class Reader {
        private String streamText;
        private StreamId stream;
        private String correlation;
        private String causation;
        private String transaction;
        private String headersJson;
        private Metadata metadata = Metadata.EMPTY;
        private OffsetDateTime micros;
        private int nano = -1;
        private Instant timestamp;

        RecordedEvent event(ResultSet rs) throws SQLException {
            String destination = rs.getString(12);
            Route route = destination == null ? null : new Route(destination, rs.getString(13));
            return new RecordedEvent(
                    rs.getObject(2, UUID.class),
                    stream(rs.getString(3)),
                    rs.getLong(4),
                    rs.getLong(1),
                    rs.getString(5),
                    rs.getBytes(6),
                    rs.getString(7),
                    metadata(rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)),
                    route,
                    timestamp(rs.getObject(14, OffsetDateTime.class), rs.getInt(15)));
        }

        private StreamId stream(String text) {
            if (!text.equals(streamText)) {
                stream = StreamId.of(text);
                streamText = text;
            }
            return stream;
        }

        private Metadata metadata(String newCorrelation, String newCausation, String newTransaction, String newHeaders) {
            if (!Objects.equals(newCorrelation, correlation) || !Objects.equals(newCausation, causation)
                    || !Objects.equals(newTransaction, transaction) || !Objects.equals(newHeaders, headersJson)) {
                metadata = EventRows.metadata(newCorrelation, newCausation, newTransaction, newHeaders);
                correlation = newCorrelation;
                causation = newCausation;
                transaction = newTransaction;
                headersJson = newHeaders;
            }
            return metadata;
        }

        private Instant timestamp(OffsetDateTime newMicros, int newNano) {
            if (newNano != nano || !newMicros.equals(micros)) {
                timestamp = instant(newMicros, newNano);
                micros = newMicros;
                nano = newNano;
            }
            return timestamp;
        }
    }

    static InboxRecord inbox(ResultSet rs) throws SQLException {
        return new InboxRecord(rs.getString(1), rs.getObject(2, UUID.class), rs.getBytes(3), instant(rs.getObject(4, OffsetDateTime.class), rs.getInt(5)));
    }

    /**
     * Binds a text array, or NULL when every element is null: {@code unnest} pads a missing array with NULLs,
     * and PostgreSQL's array text format costs both sides far more than a NULL (most events have no headers,
     * no route and no transaction id).
     */
    private static void setTexts(Connection c, PreparedStatement ps, int index, String[] values) throws SQLException {
        for (String v : values) {
            if (v != null) {
                ps.setArray(index, c.createArrayOf("text", values));
                return;
            }
        }
        ps.setNull(index, Types.ARRAY);
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

    /** The INSERT statement for events of {@code table}; {@link #bind} binds its 15 parameters. */
    static String insertSql(String table) {
        return "INSERT INTO " + table + " (" + EVENT_COLUMNS + ") SELECT r.*, ?, ? FROM unnest("
                + "?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::text[]) AS r";
    }

    /** Splits {@code events} into runs small enough for one INSERT statement each. */
    static List<List<RecordedEvent>> chunks(List<RecordedEvent> events) {
        List<List<RecordedEvent>> chunks = new ArrayList<>();
        int from = 0;
        while (from < events.size()) {
            int to = from;
            long bytes = 0;
            while (to < events.size() && to - from < MAX_ROWS_PER_INSERT && (to == from || bytes + events.get(to).payload().length <= MAX_BYTES_PER_INSERT)) {
                bytes += events.get(to).payload().length;
                to++;
            }
            chunks.add(events.subList(from, to));
            from = to;
        }
        return chunks;
    }

    /** Inserts {@code events} (all recorded at {@code at}), one statement per chunk. */
    static void insertEvents(Connection c, String table, List<RecordedEvent> events, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql(table))) {
            for (List<RecordedEvent> chunk : chunks(events)) {
                bind(c, ps, 1, chunk, at);
                ps.executeUpdate();
            }
        }
    }

    /** Binds the parameters of {@link #insertSql} from {@code index} on; returns the next free index. */
    static int bind(Connection c, PreparedStatement ps, int index, List<RecordedEvent> rows, Instant at) throws SQLException {
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
        ps.setObject(index, micros(at));
        ps.setInt(index + 1, at.getNano());
        ps.setArray(index + 2, c.createArrayOf("int8", positions));
        ps.setArray(index + 3, c.createArrayOf("uuid", ids));
        ps.setArray(index + 4, c.createArrayOf("text", streams));
        ps.setArray(index + 5, c.createArrayOf("int8", versions));
        ps.setArray(index + 6, c.createArrayOf("text", types));
        ps.setArray(index + 7, c.createArrayOf("bytea", payloads));
        ps.setArray(index + 8, c.createArrayOf("text", contentTypes));
        setTexts(c, ps, index + 9, correlations);
        setTexts(c, ps, index + 10, causations);
        setTexts(c, ps, index + 11, transactions);
        setTexts(c, ps, index + 12, headers);
        setTexts(c, ps, index + 13, destinations);
        setTexts(c, ps, index + 14, partitionKeys);
        return index + 15;
    }
}
