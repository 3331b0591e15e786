package dev.tandem.bench.store;

import dev.tandem.bench.Percentiles;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One append case: {@code appenders} virtual threads, each on its own stream with an exact expected version,
 * appending {@code eventsPerAppend} events per commit with up to {@code inFlight} commits pending each.
 *
 * <p>An append counts when its future completes, that is when it is durable, inside the measured window.
 */
final class AppendRun {

    /** What one case measured. */
    record Figures(double eventsPerSecond, double commitsPerSecond, Percentiles latency) {}

    static final byte[] PAYLOAD = "{\"account\":\"acc-000017\",\"amount\":12345,\"currency\":\"EUR\",\"reference\":\"bench transfer\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final EventStore store;
    private final int appenders;
    private final int eventsPerAppend;
    private final int inFlight;
    private final LongAdder events = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;
    private long start;
    private long end;

    AppendRun(EventStore store, int appenders, int eventsPerAppend, int inFlight) {
        this.store = store;
        this.appenders = appenders;
        this.eventsPerAppend = eventsPerAppend;
        this.inFlight = inFlight;
    }

    Figures measure(Duration warmup, Duration duration) throws Exception {
        start = System.nanoTime() + warmup.toNanos();
        end = start + duration.toNanos();
        List<Percentiles> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < appenders; a++) {
            Percentiles latency = new Percentiles();
            latencies.add(latency);
            StreamId stream = StreamId.of("bench-appender", a);
            Metadata metadata = Metadata.EMPTY.withCorrelationId("bench-" + a).withCausationId("bench-cause-" + a);
            threads.add(Thread.ofVirtual().name("tandem-bench-appender-" + a).start(() -> appendUntilStopped(stream, metadata, latency)));
        }
        Thread.sleep(Duration.ofNanos(end - System.nanoTime())); // the measured window itself, not a synchronisation
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an append failed during the run", failure.get());
        }
        Percentiles merged = new Percentiles();
        latencies.forEach(merged::merge);
        double seconds = duration.toNanos() / 1e9;
        return new Figures(events.sum() / seconds, commits.sum() / seconds, merged);
    }

    private void appendUntilStopped(StreamId stream, Metadata metadata, Percentiles latency) {
        Semaphore pending = new Semaphore(inFlight);
        long version = 0;
        try {
            while (!stop && failure.get() == null) {
                pending.acquire();
                long submitted = System.nanoTime();
                Commit commit = Commit.of(stream, ExpectedVersion.exactly(version), batch(metadata));
                version += eventsPerAppend;
                store.commitAsync(commit).whenComplete((result, error) -> {
                    long done = System.nanoTime();
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (done >= start && done < end) {
                        commits.increment();
                        events.add(eventsPerAppend);
                        if (inFlight == 1) {
                            latency.add(done - submitted); // one pending commit: no two completions race on it
                        }
                    }
                    pending.release();
                });
            }
            pending.acquire(inFlight); // let the last commits land before the store closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private List<NewEvent> batch(Metadata metadata) {
        List<NewEvent> batch = new ArrayList<>(eventsPerAppend);
        for (int i = 0; i < eventsPerAppend; i++) {
            batch.add(new NewEvent(NewEvent.newId(), "FundsDeposited", PAYLOAD, "application/json", metadata, null));
        }
        return batch;
    }
}
