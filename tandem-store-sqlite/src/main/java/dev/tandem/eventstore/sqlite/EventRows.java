package dev.tandem.eventstore.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

/** How events, ids and instants are laid out in the database's columns. */
final class EventRows {

    /** The columns {@link #read} expects, in order. */
    static final String COLUMNS =
            "position, id, stream, version, type, payload, content_type, metadata, route_destination, route_partition_key, recorded_at";

    static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final byte[] EMPTY = new byte[0];

    private EventRows() {}

    static void bind(PreparedStatement insert, RecordedEvent e) throws SQLException {
        insert.setLong(1, e.position());
        insert.setBytes(2, bytes(e.id()));
        insert.setString(3, e.stream().value());
        insert.setLong(4, e.version());
        insert.setString(5, e.type());
        insert.setBytes(6, e.payload());
        insert.setString(7, e.contentType());
        if (Metadata.EMPTY.equals(e.metadata())) {
            insert.setNull(8, Types.VARCHAR); // most events carry none: skip the JSON round trip
        } else {
            insert.setString(8, metadataJson(e.metadata()));
        }
        if (e.route() == null) {
            insert.setNull(9, Types.VARCHAR);
            insert.setNull(10, Types.VARCHAR);
        } else {
            insert.setString(9, e.route().destination());
            insert.setString(10, e.route().partitionKey());
        }
        insert.setLong(11, nanos(e.timestamp()));
    }

    static RecordedEvent read(ResultSet rs) throws SQLException {
        String metadata = rs.getString(8);
        String destination = rs.getString(9);
        return new RecordedEvent(
                uuid(rs.getBytes(2)),
                StreamId.of(rs.getString(3)),
                rs.getLong(4),
                rs.getLong(1),
                rs.getString(5),
                orEmpty(rs.getBytes(6)),
                rs.getString(7),
                metadata == null ? Metadata.EMPTY : metadata(metadata),
                destination == null ? null : new Route(destination, rs.getString(10)),
                instant(rs.getLong(11)));
    }

    static byte[] bytes(UUID id) {
        byte[] b = new byte[16];
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    static UUID uuid(byte[] b) {
        if (b == null || b.length != 16) {
            throw new IncompatibleSchemaException("stored id is not 16 bytes: " + (b == null ? "null" : b.length + " bytes"));
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFF);
            lo = (lo << 8) | (b[8 + i] & 0xFF);
        }
        return new UUID(hi, lo);
    }

    /** Nanoseconds since the epoch: exact for any instant between the years 1677 and 2262. */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    /** A blob column that may hold NULL; SQLite hands back a zero-length blob as null too, which this tells apart. */
    static byte[] nullableBlob(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null && !rs.wasNull() ? EMPTY : b;
    }

    /** SQLite hands back a zero-length blob as null. */
    static byte[] orEmpty(byte[] b) {
        return b == null ? EMPTY : b;
    }

    private static String metadataJson(Metadata m) {
        try {
            return Json.mapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Metadata metadata(String json) {
        try {
            return Json.mapper().readValue(json, Metadata.class);
        } catch (JsonProcessingException e) {
            throw new IncompatibleSchemaException("stored metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
