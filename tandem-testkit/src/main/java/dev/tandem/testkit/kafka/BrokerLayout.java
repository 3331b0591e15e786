package dev.tandem.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/** Where a test broker keeps its files, which loopback ports it uses, and its server properties. */
record BrokerLayout(Path dir, int port, int controllerPort, String clusterId, boolean fastRestart) {

    static final String HOST = "127.0.0.1";

    /**
     * @param fastRestart short broker session and heartbeat so that a killed broker is back in seconds;
     *     only for a broker that is killed on purpose, since a loaded machine may then miss heartbeats
     */
    static BrokerLayout create(Path dir, boolean fastRestart) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker directory " + dir, e);
        }
        return new BrokerLayout(dir.toAbsolutePath(), freePort(), freePort(), Uuid.randomUuid().toString(), fastRestart);
    }

    String bootstrapServers() {
        return HOST + ":" + port;
    }

    Path propertiesFile() {
        return dir.resolve("server.properties");
    }

    Path logDir() {
        return dir.resolve("data");
    }

    Properties properties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir().toString());
        p.setProperty("num.partitions", "1");
        // Topics are created by the clients under test; a typo must not silently create one.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        if (fastRestart) {
            // A killed broker re-registers quickly instead of waiting out the default session timeout.
            p.setProperty("broker.session.timeout.ms", "3000");
            p.setProperty("broker.heartbeat.interval.ms", "500");
        }
        p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    void writeProperties() {
        try (OutputStream out = Files.newOutputStream(propertiesFile())) {
            properties().store(out, "Tandem test broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + propertiesFile(), e);
        }
    }

    /** Formats the log directory once; a directory that holds a formatted log is left as it is. */
    void formatIfNeeded() {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        writeProperties();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", propertiesFile().toString(), "--standalone", "--ignore-formatted"}, print);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logDir() + " failed with exit code " + rc + ": "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A free loopback port below the kernel's usual ephemeral range (32768 and up), so that no outgoing connection takes
     * it between this check and the broker's bind, nor while a killed broker is being restarted on it.
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
