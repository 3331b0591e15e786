package dev.tandem.core;

/** The database holds a schema this version of Tandem cannot use (corrupt, foreign or newer). */
public final class IncompatibleSchemaException extends NonTransientException {

    public IncompatibleSchemaException(String message) {
        super(message);
    }

    public IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
