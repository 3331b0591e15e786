package dev.tandem.bench.store;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.WorkFiles;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The backend-neutral store workload: durable append throughput for 1 and 64 appenders with 1 and 10 events
 * per append (one commit pending per appender, then a pipelined variant), and the rate at which a
 * subscription catches up over a pre-filled store.
 */
public final class StoreWorkload {

    /** Stream reads timed (after as many untimed). */
    private static final int STREAM_READS = 20_000;

    private static final int PIPELINE_DEPTH = 16;

    private final StoreBackend backend;
    private final BenchOptions options;
    private final BenchReport report;

    public StoreWorkload(StoreBackend backend, BenchOptions options, BenchReport report) {
        this.backend = backend;
        this.options = options;
        this.report = report;
    }

    /** Runs every case and reports its figures. */
    public void run() throws Exception {
        warmUp();
        for (int appenders : new int[] {1, 64}) {
            for (int events : new int[] {1, 10}) {
                append(appenders, events, 1);
            }
        }
        append(64, 1, PIPELINE_DEPTH);
        append(64, 10, PIPELINE_DEPTH);
        catchUp(options.quick() ? 100_000 : 1_000_000);
    }

    /** Gives the JIT compiler the append path before the first measured case, so that case is not penalised. */
    private void warmUp() throws Exception {
        Path dir = Files.createDirectories(options.workDir().resolve("store.warmup." + backend.name()));
        try (EventStore store = backend.open(dir, StoreOptions.defaults())) {
            new AppendRun(store, 64, 10, PIPELINE_DEPTH).measure(Duration.ZERO, options.warmup().plus(options.warmup()));
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /** One append case on a fresh store: {@code inFlight} 1 waits for each commit, more pipelines them. */
    public void append(int appenders, int eventsPerAppend, int inFlight) throws Exception {
        String name = "store.append." + backend.name() + ".c" + appenders + ".e" + eventsPerAppend
                + (inFlight > 1 ? ".pipelined" + inFlight : "");
        Path dir = Files.createDirectories(options.workDir().resolve(name));
        try {
            AppendRun.Figures figures;
            try (EventStore store = backend.open(dir, StoreOptions.defaults())) {
                figures = new AppendRun(store, appenders, eventsPerAppend, inFlight).measure(options.warmup(), options.duration());
            }
            report.result(name, Math.round(figures.eventsPerSecond()), "events/s");
            report.result(name + ".commits", Math.round(figures.commitsPerSecond()), "commits/s");
            if (figures.latency().count() > 0) {
                report.result(name + ".p50", figures.latency().millis(50), "ms");
                report.result(name + ".p99", figures.latency().millis(99), "ms");
            }
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /** Fills a fresh store with {@code total} events, then times a subscription reading all of them from the start. */
    public void catchUp(int total) throws Exception {
        Path dir = Files.createDirectories(options.workDir().resolve("store.catchup." + backend.name()));
        try (EventStore store = backend.open(dir, StoreOptions.defaults())) {
            long filling = System.nanoTime();
            fill(store, total);
            report.note(backend.name() + ": pre-filled " + total + " events in " + Duration.ofNanos(System.nanoTime() - filling).toMillis() + " ms");
            long last = store.lastPosition();

            LongAdder seen = new LongAdder();
            long started = System.nanoTime();
            try (Subscription subscription = store.subscribe(SubscriptionRequest.fromPosition("bench-catch-up", 0), batch -> seen.add(batch.size()))) {
                if (!subscription.awaitPosition(last, Duration.ofMinutes(10))) {
                    throw new IllegalStateException("catch-up did not reach position " + last + " within 10 minutes; it saw " + seen.sum());
                }
            }
            report.result("store.catchup." + backend.name(), Math.round(seen.sum() / ((System.nanoTime() - started) / 1e9)), "events/s");

            long scanning = System.nanoTime();
            long read = 0;
            for (List<RecordedEvent> page = store.readAll(0, 1_000); !page.isEmpty(); page = store.readAll(page.getLast().position(), 1_000)) {
                read += page.size();
            }
            report.result("store.readall." + backend.name(), Math.round(read / ((System.nanoTime() - scanning) / 1e9)), "events/s");
            readStreams(store);
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /**
     * Short stream reads on the filled store, one thread: the last 10 events of one of its 100 streams, as a service
     * loading an aggregate does; the first {@link #STREAM_READS} warm up, the next as many are timed.
     */
    private void readStreams(EventStore store) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long events = 0;
        long started = 0;
        long cpuStarted = 0;
        for (int i = 0; i < 2 * STREAM_READS; i++) {
            if (i == STREAM_READS) {
                started = System.nanoTime();
                cpuStarted = threads.getCurrentThreadCpuTime();
            }
            StreamId stream = StreamId.of("bench-fill", i % 100);
            events += store.readStream(stream, Long.MAX_VALUE, ReadDirection.BACKWARD, 10).size();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStarted;
        if (events != 2L * STREAM_READS * 10) {
            throw new IllegalStateException("stream reads returned " + events + " events, expected " + 2L * STREAM_READS * 10);
        }
        report.result("store.readstream." + backend.name(), Math.round(STREAM_READS / ((System.nanoTime() - started) / 1e9)), "reads/s");
        report.note(String.format(Locale.ROOT, "store.readstream.%s: %.1f us of CPU per read (the last 10 events of a stream, one thread)",
                backend.name(), cpu / 1e3 / STREAM_READS));
    }

    /** Pipelined commits of 100 events over 100 streams; their speed is not what is measured. */
    private static void fill(EventStore store, int total) {
        Metadata metadata = Metadata.EMPTY.withCorrelationId("bench-fill");
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int written = 0, i = 0; written < total; i++) {
            int n = Math.min(100, total - written);
            List<NewEvent> events = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                events.add(new NewEvent(NewEvent.newId(), "FundsDeposited", AppendRun.PAYLOAD, "application/json", metadata, null));
            }
            pending.add(store.commitAsync(Commit.of(StreamId.of("bench-fill", i % 100), ExpectedVersion.any(), events)));
            written += n;
            if (pending.size() >= 64) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(CompletableFuture::join);
    }
}
