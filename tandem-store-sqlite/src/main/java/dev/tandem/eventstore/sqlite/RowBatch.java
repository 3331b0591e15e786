package dev.tandem.eventstore.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Rows added to one prepared statement's batch, executed every {@link #ROWS_PER_EXECUTION} rows and at the end. The
 * driver keeps a batch's parameters in one array that only grows and nulls the whole of it after each execution: a
 * statement that once took a batch of 20,000 rows would otherwise clear 20,000 rows' worth after every later batch of
 * ten. One execution per few hundred rows costs next to nothing beside the rows' own inserts.
 */
final class RowBatch {

    static final int ROWS_PER_EXECUTION = 256;

    private final PreparedStatement statement;
    private int pending;
    private long rows;

    RowBatch(PreparedStatement statement) {
        this.statement = statement;
    }

    /** The statement, to bind the next row's parameters on before {@link #add()}. */
    PreparedStatement statement() {
        return statement;
    }

    /** Adds the row bound on the statement. */
    void add() throws SQLException {
        statement.addBatch();
        rows++;
        if (++pending == ROWS_PER_EXECUTION) {
            statement.executeBatch();
            pending = 0;
        }
    }

    /** Executes the rows not executed yet; returns how many rows were added in all. */
    long finish() throws SQLException {
        if (pending > 0) {
            statement.executeBatch();
            pending = 0;
        }
        return rows;
    }
}
