package dev.tandem.core;

/** An error that retrying the same operation unchanged will not overcome. */
public class NonTransientException extends TandemException {

    public NonTransientException(String message) {
        super(message);
    }

    public NonTransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isTransient() {
        return false;
    }
}
