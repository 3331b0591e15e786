package dev.tandem.bench.engine;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.bench.Percentiles;
import dev.tandem.bench.Warmup;
import dev.tandem.bench.WorkFiles;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.TransactionDefinition;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.Ownership;
import dev.tandem.saga.participant.BranchResult;
import dev.tandem.saga.participant.Participant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coordinator and two no-op participants, each a service with its own store, wired by messaging nodes on the
 * in-process transport. Starts transactions with {@link Coordinator#startAsync} keeping at most {@link #IN_FLIGHT}
 * unfinished (closed loop; {@link #HIGH_IN_FLIGHT} in the {@code .c1024} cases) and counts those that reach COMMITTED
 * ({@link Coordinator#whenTerminal}), with the latency from start to the durable committed event. Throughput comes from
 * many transactions in flight and the stores' group commit; the first bound is kept moderate so the latencies describe
 * the engine, not a queue, the second shows what more in flight buys at what latency.
 */
public final class EngineBench implements BenchSuite {

    /** Transactions in flight (closed loop) of the cases named {@code engine.<kind>}; {@code -Dtandem.bench.engine.inFlight=N} overrides it. */
    static final int IN_FLIGHT = Integer.getInteger("tandem.bench.engine.inFlight", 256);

    /**
     * The SQLite cases run again at this load, named {@code engine.<kind>.c1024} (not in a quick run): at {@link #IN_FLIGHT}
     * the engine is bound by the latency of its durable hops with the cores not yet busy, here by its CPU, with bigger
     * batches and a longer wait each; the two show throughput against latency.
     */
    static final int HIGH_IN_FLIGHT = 1_024;

    static final TransactionDefinition SAGA = TransactionDefinition.saga("bench-saga", 1)
            .step("first", s -> s.participant("p1").action("do").compensation("undo"))
            .step("second", s -> s.participant("p2").action("do").compensation("undo"))
            .deadline(Duration.ofMinutes(10))
            .build();

    static final TransactionDefinition TCC = TransactionDefinition.tcc("bench-tcc", 1)
            .participant("first", p -> p.participant("p1").tryOp("do").confirm("confirm").cancel("undo"))
            .participant("second", p -> p.participant("p2").tryOp("do").confirm("confirm").cancel("undo"))
            .deadline(Duration.ofMinutes(10))
            .build();

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public String description() {
        return "two-step saga and two-participant TCC with no-op participants on the embedded backends, " + IN_FLIGHT + " and "
                + HIGH_IN_FLIGHT + " in flight: throughput, p50, p99";
    }

    @Override
    public void run(BenchReport report, BenchOptions options) throws Exception {
        for (String kind : List.of("saga", "tcc")) {
            runCase(report, options, kind, "", IN_FLIGHT, file -> SqliteEventStore.open(file, StoreOptions.defaults()));
        }
        if (!options.quick() && HIGH_IN_FLIGHT != IN_FLIGHT) {
            for (String kind : List.of("saga", "tcc")) {
                runCase(report, options, kind, ".c" + HIGH_IN_FLIGHT, HIGH_IN_FLIGHT, file -> SqliteEventStore.open(file, StoreOptions.defaults()));
            }
        }
        // Without disk writes, labelled as in-memory. Not the engine's ceiling: that store keeps every event in the heap, so
        // its collections grow with the run (40-66% of the measured time on 2 cores; the case's note tells).
        if (!options.quick()) {
            for (String kind : List.of("saga", "tcc")) {
                runCase(report, options, kind, ".inmemory", IN_FLIGHT, file -> new InMemoryEventStore());
            }
        }
    }

    private interface StoreFactory {
        EventStore open(Path file) throws Exception;
    }

    private void runCase(BenchReport report, BenchOptions options, String kind, String suffix, int inFlight, StoreFactory stores) throws Exception {
        String metric = "engine." + kind + suffix;
        String only = System.getProperty("tandem.bench.only"); // e.g. -Dtandem.bench.only=engine.saga.inmemory, for profiling one case
        if (only != null && !only.equals(metric)) {
            return;
        }
        Path dir = Files.createTempDirectory(options.workDir(), "engine-" + kind);
        try (EventStore coordinatorStore = stores.open(dir.resolve("coordinator.db"));
                EventStore p1 = stores.open(dir.resolve("p1.db"));
                EventStore p2 = stores.open(dir.resolve("p2.db"));
                InProcessTransport transport = new InProcessTransport()) {
            Coordinator coordinator = new Coordinator("coordinator", coordinatorStore, DefinitionRegistry.of(SAGA, TCC),
                    InstantSource.system(), new SplittableRandom(1), Ownership.all());
            List<ServiceNode> nodes = List.of(
                    ServiceNode.builder(coordinatorStore, "coordinator", transport).handle("coordinator", coordinator.replyHandler()).start(),
                    ServiceNode.builder(p1, "p1", transport).handle("p1", noop("p1", p1)).start(),
                    ServiceNode.builder(p2, "p2", transport).handle("p2", noop("p2", p2)).start());
            try (Driver driver = new Driver(coordinator, kind.equals("saga") ? SAGA.name() : TCC.name(), inFlight)) {
                Warmup.Outcome warm = options.warmUp(d -> driver.measure(d.toNanos(), null));
                Percentiles latency = new Percentiles();
                long cpu0 = processCpuNanos();
                Warmup.JvmActivity jvm = new Warmup.JvmActivity();
                long[] measured = driver.measure(options.duration().toNanos(), latency);
                long cpu = processCpuNanos() - cpu0;
                report.note(metric + ": " + warm.describe() + "; " + jvm.describe());
                double seconds = measured[1] / 1e9;
                report.note(metric + ": " + measured[0] + " transactions committed in " + String.format("%.1f", seconds) + " s, at most "
                        + inFlight + " in flight" + (suffix.equals(".inmemory") ? ", in-memory stores + in-process transport" : ", SQLite + in-process transport")
                        + "; a shared 2-core machine: figures are noisy");
                if (cpu > 0 && measured[0] > 0) { // what a transaction costs, whatever else the machine is doing
                    report.note(metric + ": " + String.format("%.3f", cpu / 1e6 / measured[0]) + " ms of CPU (whole process) per transaction");
                }
                report.result(metric + ".throughput", Math.round(measured[0] / seconds), "tx/s");
                report.result(metric + ".p50", latency.millis(50), "ms");
                report.result(metric + ".p99", latency.millis(99), "ms");
                report.result(metric + ".p99.9", latency.millis(99.9), "ms");
            } finally {
                nodes.forEach(ServiceNode::close);
            }
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /** CPU time of the whole process so far, or -1 where the platform does not tell. */
    public static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static Participant noop(String name, EventStore store) {
        return Participant.builder(name, store)
                .on("do", ctx -> BranchResult.succeeded())
                .on("undo", ctx -> BranchResult.succeeded())
                .on("confirm", ctx -> BranchResult.succeeded())
                .build();
    }

    /** Starts transactions, closed loop, and waits for each to become final through {@link Coordinator#whenTerminal}. */
    private static final class Driver implements AutoCloseable {
        private final Coordinator coordinator;
        private final String definition;
        private final int limit;
        private final Semaphore inFlight;
        private final AtomicLong committed = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private volatile Percentiles sink;
        private long next;

        Driver(Coordinator coordinator, String definition, int limit) {
            this.coordinator = coordinator;
            this.definition = definition;
            this.limit = limit;
            this.inFlight = new Semaphore(limit);
        }

        /** Runs for {@code nanos}; returns {committed, elapsed nanos}. */
        long[] measure(long nanos, Percentiles latency) throws InterruptedException {
            sink = latency;
            long before = committed.get();
            long start = System.nanoTime();
            while (System.nanoTime() - start < nanos) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                String id = "b" + (next++);
                long t0 = System.nanoTime();
                // Watched once the start is durable, as the bank's coordinator service does: the coordinator then knows the
                // transaction (its cache holds the started state), where a watch set before the start reads the store to
                // learn that the transaction is not final yet (it does not exist).
                coordinator.startAsync(id, definition, "{}").whenComplete((started, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        inFlight.release();
                    } else {
                        coordinator.whenTerminal(id).whenComplete((tx, e) -> finished(t0, e == null && tx.status() == Status.COMMITTED));
                    }
                });
            }
            long elapsed = System.nanoTime() - start;
            sink = null;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " transactions could not be started");
            }
            return new long[] {committed.get() - before, elapsed};
        }

        private void finished(long t0, boolean ok) {
            long now = System.nanoTime();
            Percentiles p = sink;
            if (ok) {
                if (p != null) {
                    synchronized (p) {
                        p.add(now - t0);
                    }
                }
                committed.incrementAndGet();
            }
            inFlight.release();
        }

        /** Waits (bounded) for the transactions still in flight, so the next case starts on a quiet engine. */
        @Override
        public void close() {
            try {
                if (inFlight.tryAcquire(limit, 60, TimeUnit.SECONDS)) {
                    inFlight.release(limit);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
