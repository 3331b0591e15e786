package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read transactions on one connection, whose BEGIN, COMMIT and ROLLBACK are prepared once and run again and again; and
 * batches of rows, which a failed transaction must not leave behind for the next one.
 */
class StatementCacheTest {

    @TempDir
    Path dir;

    private Connection writer;
    private StatementCache reader;

    @BeforeEach
    void open() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("cache.db");
        writer = DriverManager.getConnection(url);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE t (n INTEGER)");
        }
        reader = new StatementCache(DriverManager.getConnection(url));
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        reader.connection().close();
        writer.close();
    }

    private void insert(int n) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("INSERT INTO t (n) VALUES (" + n + ")");
        }
    }

    private long count() throws SQLException {
        try (ResultSet rs = reader.get("SELECT count(*) FROM t").executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void eachReadTransactionHoldsOneSnapshotAndTheNextOneSeesWhatCommittedMeanwhile() throws SQLException {
        for (int i = 1; i <= 50; i++) {
            insert(i);
            int expected = i;
            long[] seen = reader.inReadTransaction(() -> {
                long first = count();
                insert(1_000 + expected); // commits on the other connection while this snapshot is held
                return new long[] {first, count()};
            });
            assertThat(seen).containsExactly(2L * i - 1, 2L * i - 1);
        }
        assertThat(reader.inReadTransaction(this::count)).isEqualTo(100);
    }

    @Test
    void aFailedReadRollsBackSoTheConnectionStartsTheNextReadAfresh() throws SQLException {
        insert(1);
        assertThatThrownBy(() -> reader.inReadTransaction(() -> {
            count();
            return reader.get("SELECT * FROM no_such_table").executeQuery();
        })).isInstanceOf(SQLException.class).hasMessageContaining("no_such_table");
        insert(2);

        // Still inside the failed read's transaction, BEGIN would fail and the old snapshot would hide the second row.
        assertThat(reader.inReadTransaction(this::count)).isEqualTo(2);
        assertThat(reader.connection().getAutoCommit()).isTrue();
    }

    @Test
    void rowsAddedInAFailedTransactionAreNotInsertedByTheNextOne() throws SQLException {
        StatementCache cache = new StatementCache(writer);
        String insert = "INSERT INTO t (n) VALUES (?)";
        SQLException failure = new SQLException("the transaction failed after adding two rows");
        cache.execute("BEGIN IMMEDIATE");
        RowBatch rows = new RowBatch(cache.get(insert));
        for (int n = 1; n <= 2; n++) {
            rows.statement().setInt(1, n);
            rows.add();
        }
        cache.rollbackQuietly(failure);

        cache.execute("BEGIN IMMEDIATE");
        PreparedStatement again = cache.get(insert);
        again.setInt(1, 7);
        again.addBatch();
        again.executeBatch();
        cache.execute("COMMIT");

        assertThat(failure.getSuppressed()).isEmpty();
        try (ResultSet rs = writer.createStatement().executeQuery("SELECT group_concat(n) FROM t")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("7");
        }
    }

    @Test
    void aRowBatchInsertsEveryRowAcrossItsExecutions() throws SQLException {
        StatementCache cache = new StatementCache(writer);
        int total = 3 * RowBatch.ROWS_PER_EXECUTION + 5;
        cache.execute("BEGIN IMMEDIATE");
        RowBatch rows = new RowBatch(cache.get("INSERT INTO t (n) VALUES (?)"));
        for (int n = 1; n <= total; n++) {
            rows.statement().setInt(1, n);
            rows.add();
        }
        assertThat(rows.finish()).isEqualTo(total);
        assertThat(rows.finish()).as("finishing twice inserts nothing more").isEqualTo(total);
        cache.execute("COMMIT");

        try (ResultSet rs = writer.createStatement().executeQuery("SELECT count(*), count(DISTINCT n), min(n), max(n) FROM t")) {
            rs.next();
            assertThat(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).containsExactly(total, total, 1, total);
        }
    }
}
