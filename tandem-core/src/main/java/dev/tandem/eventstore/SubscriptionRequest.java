package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/**
 * What a subscription reads: all events after a position, or after a named durable checkpoint.
 *
 * @param name names the subscription's thread and, when {@code durable}, its checkpoint
 * @param afterPosition where a non-durable subscription starts (exclusive); ignored when durable
 * @param durable start after the stored checkpoint {@code name} (0 if none) and keep it updated
 * @param handlerCommitsCheckpoint the handler stores the checkpoint itself, atomically with its own writes
 *     (a {@link CheckpointUpdate} in its commit); the subscription then never writes it
 * @param batchSize the most events handed to the handler at once
 */
public record SubscriptionRequest(String name, long afterPosition, boolean durable, boolean handlerCommitsCheckpoint, int batchSize) {

    public static final int DEFAULT_BATCH_SIZE = 1_000;

    public SubscriptionRequest {
        InvalidInputException.requireText(name, "subscription.name", 200);
        if (afterPosition < 0) {
            throw InvalidInputException.negative("subscription.afterPosition", afterPosition);
        }
        if (batchSize <= 0) {
            throw InvalidInputException.of("subscription.batchSize", "must be positive, was " + batchSize);
        }
        if (handlerCommitsCheckpoint && !durable) {
            throw InvalidInputException.of("subscription.handlerCommitsCheckpoint", "needs a durable subscription");
        }
    }

    /** Every event after {@code afterPosition}, nothing remembered. */
    public static SubscriptionRequest fromPosition(String name, long afterPosition) {
        return new SubscriptionRequest(name, afterPosition, false, false, DEFAULT_BATCH_SIZE);
    }

    /** Every event after checkpoint {@code name}; the subscription saves the checkpoint after each handled batch. */
    public static SubscriptionRequest durable(String name) {
        return new SubscriptionRequest(name, 0, true, false, DEFAULT_BATCH_SIZE);
    }

    /** Like {@link #durable} but the handler commits the checkpoint atomically with its own writes. */
    public static SubscriptionRequest durableHandlerCommits(String name) {
        return new SubscriptionRequest(name, 0, true, true, DEFAULT_BATCH_SIZE);
    }

    public SubscriptionRequest withBatchSize(int size) {
        return new SubscriptionRequest(name, afterPosition, durable, handlerCommitsCheckpoint, size);
    }
}
