package dev.tandem.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Carries messages between services (SPI): in-process by default, Kafka when distributed.
 *
 * <p>Delivery is at least once and ordered per (destination, partition key). A publish completes
 * only when the messages are safe: accepted durably by the broker, or, in process, handled by the
 * consumer. The outbox relay advances its checkpoint only after that, so a crash anywhere
 * re-publishes instead of losing.
 */
public interface Transport extends AutoCloseable {

    /**
     * Publishes {@code messages}, keeping their order per (destination, partition key).
     * The future fails with a {@link dev.tandem.core.TandemException}: transient when the broker is
     * unreachable, non-transient for an unknown destination or an oversize message.
     */
    CompletableFuture<Void> publish(List<Message> messages);

    /**
     * How many publishes the outbox relay may keep in flight at once. More than one is safe only for a transport
     * that refuses a publish before {@link #publish} returns (the future already failed) or not at all, short of
     * being closed, and that delivers the publishes it accepted in the order they were made: then a later publish can
     * never overtake a refused, retried one. One, the default, for any other.
     */
    default int publishesInFlight() {
        return 1;
    }

    /**
     * Starts delivering {@code destination}'s messages to {@code listener} as a member of consumer
     * {@code group}. A batch is acknowledged only after {@code listener} returns; when it throws,
     * the batch (at least the unacknowledged part) is delivered again.
     */
    Consumption consume(String destination, String group, MessageBatchListener listener);

    @Override
    void close();
}
