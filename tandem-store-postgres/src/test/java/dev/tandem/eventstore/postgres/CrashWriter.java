package dev.tandem.eventstore.postgres;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link PostgresCrashIT}: appends commits from many threads and prints
 * {@code ACK <commit>} for each one the store acknowledged, until it is killed or a bound is reached.
 *
 * <p>Each commit {@code c} writes two events to stream {@code c-<c>-a} and one to {@code c-<c>-b}, so
 * a partly written commit would show as an incomplete pair.
 */
public final class CrashWriter {

    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String schema = args[2];
        int threads = Integer.parseInt(args[3]);
        long maxCommits = 200_000; // bounded, should the test never kill it
        PrintStream out = System.out;
        AtomicLong next = new AtomicLong();
        try (PostgresEventStore store = PostgresEventStore.open(url, user, null, schema, StoreOptions.defaults());
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            out.println("READY");
            out.flush();
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    long c;
                    while ((c = next.incrementAndGet()) <= maxCommits) {
                        store.commit(Commit.builder()
                                .append(StreamId.of("c-" + c + "-a"), ExpectedVersion.noStream(),
                                        List.of(NewEvent.json("First", c), NewEvent.json("Second", c)))
                                .append(StreamId.of("c-" + c + "-b"), ExpectedVersion.noStream(), List.of(NewEvent.json("Third", c)))
                                .build());
                        synchronized (out) {
                            out.println("ACK " + c);
                            out.flush();
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        }
    }
}
