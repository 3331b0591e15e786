package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL mid-stream loses no acknowledged commit and leaves no commit half written. */
class SqliteCrashIT {

    private static final int ACKS_BEFORE_KILL = 200;

    @TempDir
    Path dir;

    record Ack(String commit, int size, List<UUID> ids) {}

    @Test
    void keepsEveryAcknowledgedCommitAndNoPartOfAnyOtherAfterAKill() throws Exception {
        Path file = dir.resolve("crash.db");
        Process writer = startWriter(file);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread pump = Thread.ofPlatform().name("tandem-crash-pump-1").start(() -> pump(writer, lines));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> lines.size() > ACKS_BEFORE_KILL || !writer.isAlive());
            assertThat(writer.isAlive()).as("writer still running when killed").isTrue();
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(Duration.ofSeconds(30));
        }
        List<Ack> acks = lines.stream().filter(l -> l.startsWith("ACK ") && l.endsWith(" END")).map(SqliteCrashIT::parse).toList();
        assertThat(acks).hasSizeGreaterThan(ACKS_BEFORE_KILL);

        try (SqliteEventStore reopened = SqliteEventStore.open(file, StoreOptions.defaults())) {
            List<RecordedEvent> stored = readEverything(reopened);
            Map<UUID, RecordedEvent> byId = stored.stream().collect(Collectors.toMap(RecordedEvent::id, e -> e));
            for (Ack ack : acks) {
                assertThat(byId.keySet()).as("events of acknowledged commit %s", ack.commit()).containsAll(ack.ids());
            }
            Map<String, List<RecordedEvent>> byCommit = stored.stream()
                    .collect(Collectors.groupingBy(e -> e.metadata().headers().get(CrashWriter.COMMIT_HEADER)));
            for (List<RecordedEvent> commit : byCommit.values()) {
                int size = Integer.parseInt(commit.getFirst().metadata().headers().get(CrashWriter.SIZE_HEADER));
                assertThat(commit).as("commit %s is all or nothing", commit.getFirst().metadata().headers()).hasSize(size);
            }
            assertThat(stored).extracting(RecordedEvent::position)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            Set<StreamId> streams = stored.stream().map(RecordedEvent::stream).collect(Collectors.toSet());
            for (StreamId s : streams) {
                List<RecordedEvent> events = reopened.readStream(s, 1, ReadDirection.FORWARD, 100_000);
                assertThat(events).extracting(RecordedEvent::version)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
            }
        }
    }

    private Process startWriter(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), file.toString(), "8"));
        return new ProcessBuilder(command).redirectError(dir.resolve("writer.err").toFile()).start();
    }

    private static void pump(Process writer, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the writer was killed: whatever it printed before is in lines
        }
    }

    private static Ack parse(String line) {
        String[] parts = line.split(" ");
        List<UUID> ids = new ArrayList<>();
        for (String id : parts[3].split(",")) {
            ids.add(UUID.fromString(id));
        }
        assertThat(ids).hasSize(Integer.parseInt(parts[2]));
        return new Ack(parts[1], Integer.parseInt(parts[2]), ids);
    }

    private static List<RecordedEvent> readEverything(SqliteEventStore store) {
        List<RecordedEvent> all = new ArrayList<>();
        Map<Long, Boolean> seen = new HashMap<>();
        long after = 0;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, 10_000);
            if (page.isEmpty()) {
                return all;
            }
            for (RecordedEvent e : page) {
                assertThat(seen.put(e.position(), true)).isNull();
            }
            all.addAll(page);
            after = page.getLast().position();
        }
    }
}
