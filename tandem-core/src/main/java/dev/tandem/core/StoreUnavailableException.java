package dev.tandem.core;

/** The backing database or broker could not be reached or failed mid-operation; nothing was acknowledged. */
public final class StoreUnavailableException extends TransientException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
