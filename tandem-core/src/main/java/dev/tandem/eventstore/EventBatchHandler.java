package dev.tandem.eventstore;

import java.util.List;

/**
 * Receives a subscription's events, in position order, a batch at a time.
 *
 * <p>Delivery is at least once: when {@code handle} throws, the same batch is offered again after a
 * backoff, and after a restart a durable subscription resumes from its last stored checkpoint.
 */
@FunctionalInterface
public interface EventBatchHandler {

    void handle(List<RecordedEvent> events) throws Exception;
}
