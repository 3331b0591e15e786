package dev.tandem.bench.messaging;

import dev.tandem.bench.WorkFiles;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.kafka.KafkaTransport;
import dev.tandem.messaging.kafka.KafkaTransportConfig;
import dev.tandem.testkit.kafka.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The Kafka transport against a real single-node KRaft broker on this machine, run as its own JVM
 * (started on first use, stopped on close) so that broker and benchmark do not share a heap.
 */
final class KafkaCase implements TransportCase {

    private static final String CLIENT_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    private Path dir;
    private TestKafka kafka;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Transport open() throws IOException {
        if (kafka == null) {
            // Kafka clients log their whole configuration at INFO; keep the report readable unless asked otherwise.
            if (System.getProperty(CLIENT_LOG_LEVEL) == null) {
                System.setProperty(CLIENT_LOG_LEVEL, "warn");
            }
            dir = Files.createTempDirectory("tandem-bench-kafka-");
            kafka = TestKafka.separateProcess(dir);
        }
        // A fresh topic prefix per run: each run starts on empty topics.
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KafkaTransportConfig.Builder config = KafkaTransportConfig.builder(kafka.bootstrapServers()).topicPrefix(prefix).partitions(8);
        // e.g. -Dtandem.bench.kafka.clientProperties=fetch.min.bytes=65536,fetch.max.wait.ms=5, for trying client tuning
        String extra = System.getProperty("tandem.bench.kafka.clientProperties", "");
        for (String pair : extra.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                config.clientProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return new KafkaTransport(config.build());
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (dir != null) {
            try {
                WorkFiles.deleteTree(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
            dir = null;
        }
    }
}
