package dev.tandem.eventstore.sqlite;

import dev.tandem.core.IncompatibleSchemaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The stream index's rows: a <em>chunk</em> is a run of consecutive versions of one stream, stored as one row
 * {@code (stream, first_version, last_version, positions)} in {@code stream_chunks}, the positions of its events as
 * big-endian 8-byte integers in version order (so a read can ask for just the slice it needs with {@code substr}).
 * An index round writes one chunk per stream it saw (split every {@link #MAX_ENTRIES} entries), where schema 4
 * wrote one row per event: a round of 16,384 events over 1,000 streams inserts 1,000 rows, and SQLite pays per row
 * inserted (a B-tree seek each) far more than per byte. (A round of mostly one-event streams, and the round on open,
 * write one chunk per event instead: see {@code SqliteWriter}.) Reads take any runs, however they were cut.
 *
 * <p>A stream's version as of the index is its last chunk's {@code last_version}.
 */
final class StreamChunks {

    /**
     * At most this many positions in one chunk (512 bytes): a row of a {@code WITHOUT ROWID} table longer than about
     * 1,000 bytes (on 4 KiB pages) spills into overflow pages, and a look-up of a stream's last chunk then took 8.5 µs
     * instead of 2.7 (measured with 164 positions against 64 and 100).
     */
    static final int MAX_ENTRIES = 64;

    static final String INSERT = "INSERT INTO stream_chunks (stream, first_version, last_version, positions) VALUES (?, ?, ?, ?)";

    private StreamChunks() {}

    /** How many positions {@code chunk} (or a slice of one) holds. */
    static int size(byte[] chunk) {
        if (chunk == null || chunk.length % Long.BYTES != 0) {
            throw new IncompatibleSchemaException("a stream_chunks row's positions are not 8-byte integers: "
                    + (chunk == null ? "null" : chunk.length + " bytes"));
        }
        return chunk.length / Long.BYTES;
    }

    /** The {@code i}-th position of {@code chunk}. */
    static long position(byte[] chunk, int i) {
        long p = 0;
        for (int b = i * Long.BYTES, end = b + Long.BYTES; b < end; b++) {
            p = (p << 8) | (chunk[b] & 0xFF);
        }
        return p;
    }

    /**
     * Collects one stream's (version, position) entries in version order and inserts them as chunks, batched on one
     * prepared statement: a new chunk begins with a new stream, a gap in the versions, or a full chunk. Call
     * {@link #finish} to insert what remains.
     */
    static final class Builder {
        private final RowBatch rows;
        private final byte[] positions = new byte[MAX_ENTRIES * Long.BYTES];
        private String stream;
        private long firstVersion;
        private int size;

        Builder(PreparedStatement insert) {
            this.rows = new RowBatch(insert);
        }

        void add(String stream, long version, long position) throws SQLException {
            if (size > 0 && (size == MAX_ENTRIES || !stream.equals(this.stream) || version != firstVersion + size)) {
                flush();
            }
            if (size == 0) {
                this.stream = stream;
                this.firstVersion = version;
            }
            for (int b = size * Long.BYTES + Long.BYTES - 1, end = size * Long.BYTES; b >= end; b--) {
                positions[b] = (byte) position;
                position >>>= 8;
            }
            size++;
        }

        private void flush() throws SQLException {
            PreparedStatement insert = rows.statement();
            insert.setString(1, stream);
            insert.setLong(2, firstVersion);
            insert.setLong(3, firstVersion + size - 1);
            insert.setBytes(4, Arrays.copyOf(positions, size * Long.BYTES));
            rows.add();
            size = 0;
        }

        /** Inserts the chunks added so far; returns how many rows were inserted in all. */
        long finish() throws SQLException {
            if (size > 0) {
                flush();
            }
            return rows.finish();
        }
    }

    /**
     * Indexes the (stream, version, position) rows {@code select} returns, which must come sorted by stream and version
     * (opening a file of an older schema).
     */
    static void fill(Connection connection, String select) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(select); PreparedStatement insert = connection.prepareStatement(INSERT);
                ResultSet rs = query.executeQuery()) {
            Builder chunks = new Builder(insert);
            while (rs.next()) {
                chunks.add(rs.getString(1), rs.getLong(2), rs.getLong(3));
            }
            chunks.finish();
        }
    }
}
