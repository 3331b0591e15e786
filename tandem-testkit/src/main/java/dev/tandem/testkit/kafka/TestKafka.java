package dev.tandem.testkit.kafka;

import java.nio.file.Path;

/**
 * A real single-node Kafka (KRaft broker and controller in one) for tests, listening on 127.0.0.1 only.
 *
 * <p>Two modes: {@link #inProcess} runs the broker in the test's JVM (fast to start, for ordinary
 * integration tests); {@link #separateProcess} runs it as its own JVM so a test can {@link #kill}
 * it with SIGKILL and {@link #restart} it on the same log directory and ports. Both return only
 * once the broker answers an admin request.
 */
public sealed interface TestKafka extends AutoCloseable permits InProcessKafka, ProcessKafka {

    /** Starts a broker inside this JVM, with its log directory under {@code dir}. */
    static TestKafka inProcess(Path dir) {
        InProcessKafka kafka = new InProcessKafka(BrokerLayout.create(dir, false));
        kafka.start();
        return kafka;
    }

    /** Starts a broker as a separate JVM process (same class path as this one), with its files under {@code dir}. */
    static TestKafka separateProcess(Path dir) {
        ProcessKafka kafka = new ProcessKafka(BrokerLayout.create(dir, true));
        kafka.start();
        return kafka;
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /**
     * Stops the broker abruptly: SIGKILL for a separate process (no clean shutdown, nothing flushed
     * beyond what the OS already has), a controlled shutdown for an in-process broker (a JVM cannot SIGKILL itself).
     */
    void kill();

    /** Starts the broker again on the same log directory and ports and waits until it answers; kills it first if it runs. */
    void restart();

    /** Whether the broker is running (started and not killed or closed). */
    boolean isRunning();

    /** Stops the broker; the log directory is left for the caller (usually a JUnit {@code @TempDir}). */
    @Override
    void close();
}
