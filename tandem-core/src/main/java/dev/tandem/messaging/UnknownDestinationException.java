package dev.tandem.messaging;

import dev.tandem.core.NonTransientException;

/** A transport was asked to publish to a destination it does not know and will not create. */
public final class UnknownDestinationException extends NonTransientException {

    private final String destination;

    public UnknownDestinationException(String destination, String detail) {
        super("unknown destination '" + destination + "': " + detail);
        this.destination = destination;
    }

    public String destination() {
        return destination;
    }
}
