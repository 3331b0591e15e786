package dev.tandem.core;

/** A component was used after {@code close()}. */
public final class ClosedException extends NonTransientException {

    public ClosedException(String component) {
        super(component + " is closed");
    }
}
