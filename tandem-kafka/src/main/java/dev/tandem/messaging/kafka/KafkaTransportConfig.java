package dev.tandem.messaging.kafka;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a {@link KafkaTransport} connects and behaves; validated when built, immutable after.
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port...]}
 * @param topicPrefix prepended to a destination to name its topic ({@code tandem.} gives {@code tandem.bank-b})
 * @param createTopics whether a missing destination topic is created on first use; when false an
 *     unknown destination is an {@link dev.tandem.messaging.UnknownDestinationException}
 * @param partitions partitions of the topics the transport creates
 * @param replicationFactor replication of the topics the transport creates; -1 takes the broker's default
 * @param maxMessageBytes the largest encoded message (key, value and headers) accepted by {@code publish}
 * @param deliveryTimeout how long a publish may take before it fails as transient (broker unreachable)
 * @param requestTimeout how long one broker request may take
 * @param linger how long the producer waits to fill a batch
 * @param batchBytes the producer's batch size per partition
 * @param maxPollRecords the most records handed to a listener in one batch
 * @param pollTimeout how long one consumer poll waits for records
 * @param retryBackoff the first pause before a failed batch is delivered again; doubles up to {@code maxRetryBackoff}
 * @param maxRetryBackoff the longest pause before a failed batch is delivered again
 * @param offsetCommitInterval how often a consumer commits the offsets of handled records (zero: after every batch);
 *     records handled since the last commit are redelivered after a crash, and the inbox de-duplicates them
 * @param clientProperties extra Kafka client properties (security, tuning) applied to producer, consumer and admin
 */
public record KafkaTransportConfig(
        String bootstrapServers,
        String topicPrefix,
        boolean createTopics,
        int partitions,
        short replicationFactor,
        int maxMessageBytes,
        Duration deliveryTimeout,
        Duration requestTimeout,
        Duration linger,
        int batchBytes,
        int maxPollRecords,
        Duration pollTimeout,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration offsetCommitInterval,
        Map<String, String> clientProperties) {

    /** The suffix of a destination's dead-letter topic, which takes records that cannot be decoded. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public KafkaTransportConfig {
        InvalidInputException.requireText(bootstrapServers, "kafka.bootstrapServers", 2_000);
        InvalidInputException.requireNonNull(topicPrefix, "kafka.topicPrefix");
        if (!topicPrefix.matches("[a-zA-Z0-9._-]*") || topicPrefix.length() > 100) {
            throw InvalidInputException.of("kafka.topicPrefix",
                    "'" + topicPrefix + "' must be at most 100 characters of [a-zA-Z0-9._-]");
        }
        positive(partitions, "kafka.partitions");
        if (replicationFactor != -1 && replicationFactor < 1) {
            throw InvalidInputException.of("kafka.replicationFactor", "must be -1 (broker default) or at least 1, was " + replicationFactor);
        }
        positive(maxMessageBytes, "kafka.maxMessageBytes");
        positive(deliveryTimeout, "kafka.deliveryTimeout");
        positive(requestTimeout, "kafka.requestTimeout");
        InvalidInputException.requireNonNull(linger, "kafka.linger");
        if (linger.isNegative()) {
            throw InvalidInputException.of("kafka.linger", "must not be negative, was " + linger);
        }
        if (deliveryTimeout.compareTo(requestTimeout.plus(linger)) < 0) {
            throw InvalidInputException.of("kafka.deliveryTimeout",
                    deliveryTimeout + " must be at least requestTimeout + linger (" + requestTimeout.plus(linger) + ")");
        }
        positive(batchBytes, "kafka.batchBytes");
        positive(maxPollRecords, "kafka.maxPollRecords");
        positive(pollTimeout, "kafka.pollTimeout");
        positive(retryBackoff, "kafka.retryBackoff");
        positive(maxRetryBackoff, "kafka.maxRetryBackoff");
        InvalidInputException.requireNonNull(offsetCommitInterval, "kafka.offsetCommitInterval");
        if (offsetCommitInterval.isNegative()) {
            throw InvalidInputException.of("kafka.offsetCommitInterval", "must not be negative, was " + offsetCommitInterval);
        }
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw InvalidInputException.of("kafka.maxRetryBackoff", maxRetryBackoff + " is shorter than retryBackoff " + retryBackoff);
        }
        InvalidInputException.requireNonNull(clientProperties, "kafka.clientProperties");
        clientProperties = java.util.Collections.unmodifiableMap(new TreeMap<>(clientProperties));
    }

    /** A builder with defaults suited to a broker on the same network: 8 partitions, 1 MiB messages, 30 s delivery timeout. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * The topic that carries {@code destination}.
     *
     * @throws InvalidInputException when the destination cannot be part of a Kafka topic name
     */
    public String topic(String destination) {
        InvalidInputException.requireText(destination, "destination", 200);
        if (!destination.matches("[a-zA-Z0-9._-]+")) {
            throw InvalidInputException.of("destination", "'" + destination
                    + "' cannot name a Kafka topic: use only letters, digits, '.', '_' and '-'");
        }
        return topicPrefix + destination;
    }

    /** The topic that takes {@code destination}'s undecodable records. */
    public String deadLetterTopic(String destination) {
        return topic(destination) + DEAD_LETTER_SUFFIX;
    }

    private static void positive(long value, String field) {
        if (value <= 0) {
            throw InvalidInputException.of(field, "must be positive, was " + value);
        }
    }

    private static void positive(Duration value, String field) {
        InvalidInputException.requireNonNull(value, field);
        if (value.isZero() || value.isNegative()) {
            throw InvalidInputException.of(field, "must be positive, was " + value);
        }
    }

    /** Builds a {@link KafkaTransportConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String bootstrapServers;
        private String topicPrefix = "tandem.";
        private boolean createTopics = true;
        private int partitions = 8;
        private short replicationFactor = -1;
        private int maxMessageBytes = 1024 * 1024;
        private Duration deliveryTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration linger = Duration.ofMillis(2);
        private int batchBytes = 256 * 1024;
        private int maxPollRecords = 1_000;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration retryBackoff = Duration.ofMillis(50);
        private Duration maxRetryBackoff = Duration.ofSeconds(5);
        private Duration offsetCommitInterval = Duration.ofMillis(50);
        private final Map<String, String> clientProperties = new TreeMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder topicPrefix(String prefix) { this.topicPrefix = prefix; return this; }
        public Builder createTopics(boolean create) { this.createTopics = create; return this; }
        public Builder partitions(int count) { this.partitions = count; return this; }
        public Builder replicationFactor(short factor) { this.replicationFactor = factor; return this; }
        public Builder maxMessageBytes(int bytes) { this.maxMessageBytes = bytes; return this; }
        public Builder deliveryTimeout(Duration timeout) { this.deliveryTimeout = timeout; return this; }
        public Builder requestTimeout(Duration timeout) { this.requestTimeout = timeout; return this; }
        public Builder linger(Duration linger) { this.linger = linger; return this; }
        public Builder batchBytes(int bytes) { this.batchBytes = bytes; return this; }
        public Builder maxPollRecords(int records) { this.maxPollRecords = records; return this; }
        public Builder pollTimeout(Duration timeout) { this.pollTimeout = timeout; return this; }
        public Builder retryBackoff(Duration first, Duration max) { this.retryBackoff = first; this.maxRetryBackoff = max; return this; }
        public Builder offsetCommitInterval(Duration interval) { this.offsetCommitInterval = interval; return this; }
        public Builder clientProperty(String key, String value) { this.clientProperties.put(key, value); return this; }

        public KafkaTransportConfig build() {
            return new KafkaTransportConfig(bootstrapServers, topicPrefix, createTopics, partitions, replicationFactor,
                    maxMessageBytes, deliveryTimeout, requestTimeout, linger, batchBytes, maxPollRecords, pollTimeout,
                    retryBackoff, maxRetryBackoff, offsetCommitInterval, clientProperties);
        }
    }
}
