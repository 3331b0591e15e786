package dev.tandem.core;

/** An error that a retry of the same operation, after a backoff, may overcome. */
public class TransientException extends TandemException {

    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isTransient() {
        return true;
    }
}
