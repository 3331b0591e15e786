package dev.tandem.cli;

import dev.tandem.example.bank.node.NodeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of a bank example service process: where its store is and which Kafka it talks over. */
final class NodeOptions {

    @Option(names = "--data-dir", description = "Where the service keeps its SQLite store when no --postgres is given (default: ${DEFAULT-VALUE}).",
            defaultValue = "tandem-data")
    Path dataDir;

    @Option(names = "--postgres", description = "PostgreSQL JDBC URL (credentials as ?user=...&password=...); each service uses its own schema. "
            + "Without it, a SQLite file in --data-dir.")
    String postgres;

    @Option(names = "--kafka", required = true, description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092: the services talk over Kafka.")
    String kafka;

    @Option(names = "--topic-prefix", description = "Prefix of the services' Kafka topics (default: ${DEFAULT-VALUE}).",
            defaultValue = NodeConfig.DEFAULT_TOPIC_PREFIX)
    String topicPrefix;

    NodeConfig config() {
        return new NodeConfig(dataDir, postgres, kafka, topicPrefix);
    }
}
