package dev.tandem.eventstore.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Prepared statements of one connection, prepared once and reused; confined to the thread using the connection. */
final class StatementCache implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Set by a rollback: a failed transaction may have left parameters bound or rows added to a statement's batch. */
    private boolean dirty;

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Work done in one read transaction, so all its queries see the same snapshot. */
    interface InTransaction<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} between {@code BEGIN} and {@code COMMIT}: the snapshot is fixed by its first query and held to the end. */
    <T> T inReadTransaction(InTransaction<T> work) throws SQLException {
        execute("BEGIN");
        T result;
        try {
            result = work.run();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e); // the pool discards a connection whose read failed
            throw e;
        }
        execute("COMMIT");
        return result;
    }

    /**
     * Runs a statement without parameters or rows ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}), prepared once.
     * The driver's {@code Statement.execute(String)} would prepare, parse (for its own extension commands) and
     * finalize the text on every call, and for each read that was twice.
     */
    void execute(String sql) throws SQLException {
        prepared(sql).execute();
    }

    /**
     * Rolls back the open transaction after {@code cause}; a failure to do so is added to {@code cause} (SQLite may
     * have ended the transaction already).
     */
    void rollbackQuietly(Exception cause) {
        dirty = true;
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * The prepared statement for {@code sql}, with an empty batch; the caller binds every parameter. A statement is
     * cleared only after a failed transaction: the driver's {@code clearBatch} nulls the whole parameter array, which
     * only grows (to the largest batch ever added), and each execution of a batch clears it already.
     */
    PreparedStatement get(String sql) throws SQLException {
        if (dirty) {
            for (PreparedStatement s : statements.values()) {
                s.clearParameters();
                s.clearBatch();
            }
            dirty = false;
        }
        return prepared(sql);
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    @Override
    public void close() throws SQLException {
        List<Statement> all = new ArrayList<>(statements.values());
        statements.clear();
        SQLException first = null;
        for (Statement s : all) {
            try {
                s.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
