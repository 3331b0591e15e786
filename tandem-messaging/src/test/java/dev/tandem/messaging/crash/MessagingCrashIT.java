package dev.tandem.messaging.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM (SIGKILL) at exact points of the message path, restarts it on the same
 * SQLite files and checks that every committed message is applied exactly once.
 */
@DisplayName("Messaging survives kill -9")
class MessagingCrashIT {

    private static final int MESSAGES = 30;

    @TempDir
    Path dir;

    /** A child process and the lines it printed. */
    private record Child(Process process, BlockingQueue<String> lines, Path errors) {

        static Child start(Path dir, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Path errors = dir.resolve(mode + ".err");
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashingService.class.getName(),
                    dir.toString(), mode, Integer.toString(MESSAGES))
                    .redirectError(errors.toFile())
                    .start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("READ-FAILED " + e);
                }
            });
            return new Child(p, lines, errors);
        }

        /** Waits for a line starting with {@code prefix}; returns the lines seen up to and including it. */
        List<String> awaitLine(String prefix) throws Exception {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break;
                }
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return seen;
                }
            }
            throw new AssertionError("child never printed " + prefix + "; printed " + seen + ", alive " + process.isAlive()
                    + "; stderr:\n" + Files.readString(errors));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child exited after SIGKILL").isTrue();
        }
    }

    private List<String> appliedMessageIds() {
        try (EventStore b = SqliteEventStore.open(dir.resolve("b.db"), StoreOptions.defaults())) {
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                for (RecordedEvent e : b.readStream(StreamId.of("applied-key-" + k), 1, ReadDirection.FORWARD, 10_000)) {
                    ids.add(e.payloadAs(Map.class).get("message").toString());
                }
            }
            return ids;
        }
    }

    private List<String> recover() throws Exception {
        Child again = Child.start(dir, "recover");
        List<String> lines = again.awaitLine("RECOVERED");
        assertThat(again.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.process().exitValue()).isZero();
        return lines;
    }

    @Nested
    @DisplayName("killed after the outbox commit, before the publish")
    class BeforePublish {

        @Test
        void deliversEveryCommittedMessageAfterTheRestart() throws Exception {
            Child child = Child.start(dir, "send-and-stop-before-publish");
            child.awaitLine(CrashingService.AT_CRASH_POINT);
            child.kill();
            assertThat(appliedMessageIds()).isEmpty();

            recover();

            assertThat(appliedMessageIds()).hasSize(MESSAGES).doesNotHaveDuplicates();
        }
    }

    @Nested
    @DisplayName("killed after the inbox append, before the acknowledgement")
    class AfterInboxAppend {

        @Test
        void redeliversAndAppliesEachMessageOnce() throws Exception {
            Child child = Child.start(dir, "stop-after-inbox-commit");
            child.awaitLine(CrashingService.AT_CRASH_POINT);
            child.kill();
            List<String> beforeRestart = appliedMessageIds();
            assertThat(beforeRestart).isNotEmpty();

            List<String> lines = recover();

            assertThat(lines).anyMatch(l -> l.startsWith("REDELIVERED"));
            assertThat(appliedMessageIds()).hasSize(MESSAGES).doesNotHaveDuplicates().containsAll(beforeRestart);
        }
    }
}
