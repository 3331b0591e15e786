package dev.tandem.core;

/**
 * Base of every error Tandem raises; {@link #isTransient()} tells whether retrying the same call may succeed.
 *
 * <p>Transient errors (a database that is briefly unreachable, a broker failing over) are worth a
 * retry with backoff. Non-transient ones (bad input, a version conflict, an incompatible schema)
 * will fail the same way again until something changes.
 */
public abstract class TandemException extends RuntimeException {

    protected TandemException(String message) {
        super(message);
    }

    protected TandemException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same operation, retried unchanged, may succeed. */
    public abstract boolean isTransient();
}
