package dev.tandem.eventstore.sqlite;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns SQLite failures into Tandem's transient and non-transient errors. */
final class SqliteErrors {

    // Primary result codes (the low byte of an extended code), from sqlite3.h.
    static final int CONSTRAINT = 19;
    private static final int CORRUPT = 11;
    private static final int NOTADB = 26;

    private SqliteErrors() {}

    /** The primary SQLite result code of {@code e}, or -1 when it did not come from SQLite. */
    static int primaryCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && s.getResultCode() != null) {
                SQLiteErrorCode code = s.getResultCode();
                return code.code & 0xFF;
            }
        }
        return -1;
    }

    static boolean isConstraintViolation(Throwable e) {
        return primaryCode(e) == CONSTRAINT;
    }

    /**
     * A corrupt file or one that is not a database at all will not get better by retrying; anything else
     * (busy, I/O error, disk full, cannot open, read-only file) may.
     */
    static TandemException map(Path file, String action, Exception e) {
        if (e instanceof TandemException te) {
            return te;
        }
        int code = primaryCode(e);
        if (code == NOTADB || code == CORRUPT) {
            return new IncompatibleSchemaException(file + " is not a usable SQLite database (" + describe(e) + ") while " + action, e);
        }
        return new StoreUnavailableException("SQLite event store " + file + " failed while " + action + ": " + describe(e), e);
    }

    private static String describe(Exception e) {
        return e instanceof SQLException ? e.getMessage() : e.toString();
    }
}
