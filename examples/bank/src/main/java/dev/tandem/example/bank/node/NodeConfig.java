package dev.tandem.example.bank.node;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.postgres.PostgresEventStore;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.kafka.KafkaTransport;
import dev.tandem.messaging.kafka.KafkaTransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a service process keeps its events and how it reaches the others.
 *
 * @param dataDir the directory of the SQLite stores (one file per service) when {@code postgresUrl} is null
 * @param postgresUrl a PostgreSQL JDBC URL (credentials in it, e.g. {@code ?user=...&password=...}), or null for SQLite;
 *     each service keeps its events in its own schema ({@code bank_a}, {@code bank_b}, {@code coordinator})
 * @param kafka the Kafka bootstrap servers every service publishes to and consumes from
 * @param topicPrefix the prefix of the services' topics, so that separate deployments can share a broker
 */
public record NodeConfig(Path dataDir, String postgresUrl, String kafka, String topicPrefix) {

    public static final String DEFAULT_TOPIC_PREFIX = "tandem-bank.";

    public NodeConfig {
        InvalidInputException.requireNonNull(dataDir, "dataDir");
        if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
            throw InvalidInputException.of("postgres", "must be a JDBC URL starting with jdbc:postgresql:, was '" + postgresUrl + "'");
        }
        InvalidInputException.requireText(kafka, "kafka", 2_000);
        InvalidInputException.requireNonNull(topicPrefix, "topicPrefix");
    }

    /** The schema or file name of service {@code service}: lower case, {@code -} as {@code _}. */
    static String storeName(String service) {
        return service.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Opens service {@code service}'s store: its PostgreSQL schema, or its SQLite file in the data directory. */
    public EventStore openStore(String service) {
        String name = storeName(service);
        if (postgresUrl != null) {
            return PostgresEventStore.open(postgresUrl, null, null, name, StoreOptions.defaults());
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw InvalidInputException.of("dataDir", "cannot be created: " + e.getMessage());
        }
        return SqliteEventStore.open(dataDir.resolve(name + ".db"), StoreOptions.defaults());
    }

    /**
     * A Kafka transport to the services' topics for service {@code service}, the only consumer of its group: a static
     * member ({@code group.instance.id}), so that a restarted process takes its partitions back at once instead of
     * waiting for the group to notice that its previous incarnation died; a short session timeout for a paused one.
     * Coordinator instances share the membership: only the leader consumes, and a new leader takes the previous one's
     * partitions at once.
     */
    public Transport openTransport(String service) {
        return new KafkaTransport(KafkaTransportConfig.builder(kafka).topicPrefix(topicPrefix)
                .clientProperty("group.instance.id", service)
                .clientProperty("session.timeout.ms", "6000")
                .clientProperty("heartbeat.interval.ms", "1000")
                .build());
    }

    /** The options that pass this configuration to a service process ({@link NodeMain}). */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--kafka", kafka, "--topic-prefix", topicPrefix));
        if (postgresUrl != null) {
            args.addAll(List.of("--postgres", postgresUrl));
        }
        return args;
    }
}
