package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The child process of {@link SqliteCrashIT}: appends commits from many threads until it is killed and prints
 * {@code ACK <commit> <size> <ids> END} for each commit once it is durable.
 */
final class CrashWriter {

    static final String COMMIT_HEADER = "crash-commit";
    static final String SIZE_HEADER = "crash-size";

    private CrashWriter() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        SqliteEventStore store = SqliteEventStore.open(file, StoreOptions.defaults());
        System.out.println("READY");
        System.out.flush();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread.ofPlatform().name("tandem-crash-writer-" + t).start(() -> appendForever(store, writer));
        }
    }

    private static void appendForever(SqliteEventStore store, int writer) {
        StreamId own = StreamId.of("writer", writer);
        StreamId shared = StreamId.of("shared", writer % 3);
        long version = 0;
        while (true) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String commitId = UUID.randomUUID().toString();
            int ownEvents = 1 + random.nextInt(5);
            int sharedEvents = random.nextInt(3);
            Metadata metadata = Metadata.EMPTY.withHeader(COMMIT_HEADER, commitId).withHeader(SIZE_HEADER, String.valueOf(ownEvents + sharedEvents));
            List<NewEvent> mine = events(ownEvents, metadata);
            Commit.Builder commit = Commit.builder().append(own, ExpectedVersion.exactly(version), mine);
            List<NewEvent> all = new ArrayList<>(mine);
            if (sharedEvents > 0) {
                List<NewEvent> others = events(sharedEvents, metadata);
                commit.append(shared, ExpectedVersion.any(), others);
                all.addAll(others);
            }
            store.commit(commit.build());
            version += ownEvents;
            String ids = all.stream().map(e -> e.id().toString()).collect(Collectors.joining(","));
            synchronized (System.out) {
                System.out.println("ACK " + commitId + " " + all.size() + " " + ids + " END");
                System.out.flush();
            }
        }
    }

    private static List<NewEvent> events(int n, Metadata metadata) {
        List<NewEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] payload = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            events.add(new NewEvent(NewEvent.newId(), "Written", payload, "application/json", metadata, null));
        }
        return events;
    }
}
