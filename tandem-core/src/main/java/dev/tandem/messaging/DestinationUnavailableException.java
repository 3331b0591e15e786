package dev.tandem.messaging;

import dev.tandem.core.TransientException;

/**
 * A destination cannot take messages right now (no consumer yet and its waiting room is full, or the
 * broker is unreachable); nothing was lost and a later retry may succeed.
 */
public final class DestinationUnavailableException extends TransientException {

    private final String destination;

    public DestinationUnavailableException(String destination, String detail) {
        super("destination '" + destination + "' is unavailable: " + detail);
        this.destination = destination;
    }

    public DestinationUnavailableException(String destination, String detail, Throwable cause) {
        super("destination '" + destination + "' is unavailable: " + detail, cause);
        this.destination = destination;
    }

    public String destination() {
        return destination;
    }
}
