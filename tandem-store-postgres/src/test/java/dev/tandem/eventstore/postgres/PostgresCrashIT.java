package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A writer process killed with SIGKILL mid-stream loses no acknowledged commit and leaves no commit half written. */
class PostgresCrashIT {

    private static TestDatabase database;

    @BeforeAll
    static void database() {
        database = TestPostgres.freshDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Nested
    class WhenTheWriterProcessIsKilled {

        @Test
        void everyAcknowledgedCommitIsStoredWholeAndNoCommitIsPartlyWritten() throws Exception {
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                    database.jdbcUrl(), database.user(), "crash", "16")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Thread reader = Thread.ofPlatform().name("tandem-test-crash-reader-1").start(() -> readAcks(writer, acknowledged));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 500 || !writer.isAlive());
                assertThat(writer.isAlive()).as("writer still running when killed").isTrue();

                writer.destroyForcibly();
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.join(10_000);
            } finally {
                writer.destroyForcibly();
            }

            Map<Long, List<RecordedEvent>> stored = new HashMap<>();
            try (PostgresEventStore store = PostgresEventStore.open(database.jdbcUrl(), database.user(), database.password(), "crash",
                    StoreOptions.defaults())) {
                long after = 0;
                List<RecordedEvent> page;
                while (!(page = store.readAll(after, 10_000)).isEmpty()) {
                    for (RecordedEvent e : page) {
                        String[] parts = e.stream().value().split("-");
                        stored.computeIfAbsent(Long.parseLong(parts[1]), k -> new java.util.ArrayList<>()).add(e);
                    }
                    after = page.getLast().position();
                }
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(500);
            assertThat(stored.keySet()).containsAll(acknowledged);
            stored.forEach((commit, events) -> assertThat(events)
                    .as("events of commit %d", commit)
                    .extracting(e -> e.stream().value() + "@" + e.version() + ":" + e.type())
                    .containsExactly("c-" + commit + "-a@1:First", "c-" + commit + "-a@2:Second", "c-" + commit + "-b@1:Third"));
        }
    }

    private static void readAcks(Process writer, Set<Long> acknowledged) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(Long.parseLong(line.substring(4)));
                }
            }
        } catch (IOException e) {
            // the pipe breaks when the writer is killed; what was read so far is what was acknowledged
        }
    }
}
