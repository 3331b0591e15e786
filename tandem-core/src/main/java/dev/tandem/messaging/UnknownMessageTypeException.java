package dev.tandem.messaging;

import dev.tandem.core.NonTransientException;

/** A handler received a message type it has no rule for; the message is parked as a dead letter. */
public final class UnknownMessageTypeException extends NonTransientException {

    private final String type;

    public UnknownMessageTypeException(String type, String consumer) {
        super(consumer + " has no handler for message type '" + type + "'");
        this.type = type;
    }

    public String type() {
        return type;
    }
}
