package dev.tandem.eventstore.sqlite;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/** How events, ids and instants are laid out in the database's columns. */
final class EventRows {

    /** The columns {@link Reader} expects, in order. */
    static final String COLUMNS =
            "position, id, stream, version, type, payload, content_type, metadata, route_destination, route_partition_key, recorded_at";

    static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final byte[] EMPTY = new byte[0];

    private EventRows() {}

    /**
     * Binds events to the insert statement. Neighbouring events (one commit's, one transaction's) usually carry equal
     * metadata, so the JSON of the previous event is reused when its metadata is equal.
     */
    static final class Binder {
        private Metadata lastMetadata;
        private String lastJson;

        void bind(PreparedStatement insert, RecordedEvent e) throws SQLException {
            insert.setLong(1, e.position());
            insert.setBytes(2, bytes(e.id()));
            insert.setString(3, e.stream().value());
            insert.setLong(4, e.version());
            insert.setString(5, e.type());
            insert.setBytes(6, e.payload());
            insert.setString(7, e.contentType());
            String json = json(e.metadata());
            if (json == null) {
                insert.setNull(8, Types.VARCHAR);
            } else {
                insert.setString(8, json);
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

        /** Null for no metadata at all, the common case, which then costs nothing to store or read. */
        private String json(Metadata m) {
            if (m != lastMetadata && !m.equals(lastMetadata)) {
                lastMetadata = m;
                lastJson = Metadata.EMPTY.equals(m) ? null : MetadataJson.write(m);
            }
            return lastJson;
        }
    }

    /**
     * Turns rows into events. Neighbouring rows usually come from one batch and share stream, type, content type,
     * metadata and timestamp, so text columns are read as their UTF-8 bytes and decoded (into a string, a stream id,
     * metadata) only when they differ from the previous row's; one reader per query.
     */
    static final class Reader {
        private final Text stream = new Text();
        private StreamId lastStream;
        private final Text type = new Text();
        private final Text contentType = new Text();
        private final Text metadataText = new Text();
        private Metadata lastMetadata = Metadata.EMPTY;
        private long lastNanos;
        private Instant lastInstant;

        RecordedEvent read(ResultSet rs) throws SQLException {
            String destination = rs.getString(9);
            return new RecordedEvent(
                    uuid(rs.getBytes(2)),
                    stream(rs, 3),
                    rs.getLong(4),
                    rs.getLong(1),
                    type.read(rs, 5),
                    orEmpty(rs.getBytes(6)),
                    contentType.read(rs, 7),
                    metadata(rs, 8),
                    destination == null ? null : new Route(destination, rs.getString(10)),
                    timestamp(rs.getLong(11)));
        }

        private StreamId stream(ResultSet rs, int column) throws SQLException {
            if (stream.changed(rs, column)) {
                lastStream = StreamId.of(stream.text);
            }
            return lastStream;
        }

        private Metadata metadata(ResultSet rs, int column) throws SQLException {
            if (metadataText.changed(rs, column)) {
                lastMetadata = metadataText.text == null ? Metadata.EMPTY : MetadataJson.read(metadataText.text);
            }
            return lastMetadata;
        }

        private Instant timestamp(long nanos) {
            if (lastInstant == null || nanos != lastNanos) {
                lastInstant = instant(nanos);
                lastNanos = nanos;
            }
            return lastInstant;
        }
    }

    /** One text column of consecutive rows: its last bytes and their decoded text. */
    private static final class Text {
        private boolean read;
        private byte[] bytes;
        private String text;

        /** Reads the column; true when it differs from the previous row's, with {@link #text} updated. */
        boolean changed(ResultSet rs, int column) throws SQLException {
            byte[] b = rs.getBytes(column); // a TEXT column's UTF-8 bytes; null for NULL and (SQLite's way) for ''
            if (read && Arrays.equals(b, bytes)) {
                return false;
            }
            read = true;
            bytes = b;
            text = b == null ? rs.getString(column) : new String(b, StandardCharsets.UTF_8);
            return true;
        }

        String read(ResultSet rs, int column) throws SQLException {
            changed(rs, column);
            return text;
        }
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
}
