package dev.tandem.eventstore.postgres;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Turns JDBC failures into Tandem's transient or non-transient errors. */
final class PostgresErrors {

    static final String UNIQUE_VIOLATION = "23505";

    /** SQL states meaning the schema is not what this version of Tandem created. */
    private static final Set<String> SCHEMA_STATES = Set.of(
            "42P01", // undefined table
            "42703", // undefined column
            "42704", // undefined object
            "3F000", // invalid schema name
            "42883"); // undefined function

    private PostgresErrors() {}

    /**
     * Maps {@code e}; a failure to reach or keep the server, a timeout, a cancelled statement, a
     * serialization failure or deadlock is transient; a missing table or column means an incompatible schema.
     * Anything else is reported as transient too, because nothing was acknowledged and the database
     * decides whether a retry succeeds.
     */
    static TandemException map(String what, Exception e) {
        if (e instanceof TandemException te) {
            return te;
        }
        String state = sqlState(e);
        if (state != null && SCHEMA_STATES.contains(state)) {
            return new IncompatibleSchemaException(what + ": the database schema does not match this version of Tandem (SQL state "
                    + state + "): " + e.getMessage(), e);
        }
        String detail = state == null ? e.toString() : "SQL state " + state + ", " + e.getMessage();
        return new StoreUnavailableException(what + " failed: " + detail, e);
    }

    /** Whether {@code e} is a unique violation of the named constraint. */
    static boolean isUniqueViolation(SQLException e, String constraint) {
        return UNIQUE_VIOLATION.equals(e.getSQLState())
                && e instanceof org.postgresql.util.PSQLException p
                && p.getServerErrorMessage() != null
                && constraint.equals(p.getServerErrorMessage().getConstraint());
    }

    /** Whether {@code e} means the server could not be reached or the connection broke. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** The first SQL state found along the cause chain, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}
