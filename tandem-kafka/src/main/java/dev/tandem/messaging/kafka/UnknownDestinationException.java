package dev.tandem.messaging.kafka;

import dev.tandem.core.NonTransientException;

/** A destination has no topic and the transport is configured not to create topics. */
public final class UnknownDestinationException extends NonTransientException {

    private final String destination;

    UnknownDestinationException(String destination, String topic) {
        super("destination " + destination + ": topic " + topic + " does not exist and topic creation is off");
        this.destination = destination;
    }

    public String destination() {
        return destination;
    }
}
