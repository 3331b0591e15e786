package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/**
 * Marks an event as an outgoing message: the outbox relay publishes it to {@code destination},
 * ordered per {@code partitionKey}.
 */
public record Route(String destination, String partitionKey) {

    public static final int MAX_LENGTH = 200;

    public Route {
        InvalidInputException.requireText(destination, "route.destination", MAX_LENGTH);
        InvalidInputException.requireText(partitionKey, "route.partitionKey", MAX_LENGTH);
    }

    public static Route to(String destination, String partitionKey) {
        return new Route(destination, partitionKey);
    }
}
