package dev.tandem.testkit.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/** A KRaft broker+controller running inside the test's JVM. */
final class InProcessKafka implements TestKafka {

    private final BrokerLayout layout;
    private KafkaRaftServer server;

    InProcessKafka(BrokerLayout layout) {
        this.layout = layout;
    }

    synchronized void start() {
        layout.formatIfNeeded();
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(layout.properties()), Time.SYSTEM);
        started.startup();
        server = started;
        Readiness.await(layout.bootstrapServers(), () -> null);
    }

    @Override
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    @Override
    public synchronized void kill() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public synchronized void restart() {
        kill();
        start();
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "TestKafka[in-process " + bootstrapServers() + "]";
    }
}
