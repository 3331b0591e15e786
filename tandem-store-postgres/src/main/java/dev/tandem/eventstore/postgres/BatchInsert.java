package dev.tandem.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of one batch and its {@code COMMIT}, sent as one multi-statement query: one round trip.
 *
 * <p>When a statement fails, PostgreSQL skips the rest of the query, {@code COMMIT} included, and
 * the transaction stays open and aborted for the caller to roll back.
 */
final class BatchInsert {

    /** Binds one statement's parameters from {@code index} on and returns the next free index. */
    @FunctionalInterface
    interface Binder {
        int bind(Connection c, PreparedStatement ps, int index) throws SQLException;
    }

    private final StringBuilder sql = new StringBuilder();
    private final List<Binder> binders = new ArrayList<>();

    BatchInsert add(String statement, Binder binder) {
        sql.append(statement).append(';');
        binders.add(binder);
        return this;
    }

    /** Runs the statements and commits the transaction. */
    void executeAndCommit(Connection c) throws SQLException {
        sql.append("COMMIT");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int index = 1;
            for (Binder b : binders) {
                index = b.bind(c, ps, index);
            }
            ps.execute();
        }
        c.commit(); // already committed on the server; tells the driver and pool so (nothing is sent)
    }
}
