package dev.tandem.messaging.outbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.retry.RetryPolicy;

/**
 * How an {@link OutboxRelay} runs.
 *
 * @param name names the relay's durable checkpoint ({@code tandem-outbox-<name>}), thread and dead-letter stream
 * @param batchSize the most events read, and so the most messages published, at once; this bounds
 *     what is in flight (one batch): a slow consumer slows the relay down
 * @param maxMessageBytes a routed event larger than this is parked instead of published
 * @param retry the backoff between attempts after a transient transport failure; the relay retries
 *     those without limit (a broker that is down must not turn the outbox into dead letters), so only
 *     the delays of the policy are used, not its attempt count
 */
public record RelayOptions(String name, int batchSize, int maxMessageBytes, RetryPolicy retry) {

    public RelayOptions {
        InvalidInputException.requireText(name, "relay.name", 100);
        if (batchSize <= 0) {
            throw InvalidInputException.of("relay.batchSize", "must be positive, was " + batchSize);
        }
        if (maxMessageBytes <= 0) {
            throw InvalidInputException.of("relay.maxMessageBytes", "must be positive, was " + maxMessageBytes);
        }
        InvalidInputException.requireNonNull(retry, "relay.retry");
    }

    /** Batches of 1,000, messages up to 1 MiB, the default retry backoff. */
    public static RelayOptions named(String name) {
        return new RelayOptions(name, 1_000, 1024 * 1024, RetryPolicy.defaults());
    }

    public RelayOptions withBatchSize(int size) {
        return new RelayOptions(name, size, maxMessageBytes, retry);
    }

    public RelayOptions withMaxMessageBytes(int bytes) {
        return new RelayOptions(name, batchSize, bytes, retry);
    }

    public RelayOptions withRetry(RetryPolicy policy) {
        return new RelayOptions(name, batchSize, maxMessageBytes, policy);
    }

    /** The name of the relay's durable checkpoint in the store. */
    public String checkpoint() {
        return "tandem-outbox-" + name;
    }
}
