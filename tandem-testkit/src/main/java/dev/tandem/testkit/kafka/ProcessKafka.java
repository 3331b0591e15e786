package dev.tandem.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A KRaft broker+controller in its own JVM ({@code kafka.Kafka}), which a test can SIGKILL and restart. */
final class ProcessKafka implements TestKafka {

    private static final int LOG_TAIL_CHARS = 4_000;

    private final BrokerLayout layout;
    private Process process;

    ProcessKafka(BrokerLayout layout) {
        this.layout = layout;
    }

    synchronized void start() {
        layout.formatIfNeeded();
        layout.writeProperties();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(
                java.toString(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", layout.propertiesFile().toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test broker process", e);
        }
        Process started = process;
        Readiness.await(layout.bootstrapServers(),
                () -> started.isAlive() ? null : "the process exited with " + started.exitValue() + "; log tail:\n" + logTail());
    }

    /** The process id, for tests that signal it themselves. */
    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String bootstrapServers() {
        return layout.bootstrapServers();
    }

    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Unix
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test broker process " + process.pid() + " did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the test broker process to die", e);
        }
        process = null;
    }

    @Override
    public synchronized void restart() {
        kill();
        start();
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: a clean shutdown
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        process = null;
    }

    private Path logFile() {
        return layout.dir().resolve("broker.log");
    }

    private String logTail() {
        try {
            String log = Files.readString(logFile(), StandardCharsets.UTF_8);
            return log.substring(Math.max(0, log.length() - LOG_TAIL_CHARS));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "TestKafka[process " + bootstrapServers() + " pid " + pid() + "]";
    }
}
