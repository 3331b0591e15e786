package dev.tandem.bench.messaging;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.bench.Percentiles;
import dev.tandem.bench.Warmup;
import dev.tandem.bench.WorkFiles;
import dev.tandem.bench.engine.EngineBench;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.PipelinedBatchListener;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two services in one JVM, each on its own SQLite file: A appends routed events (its outbox), A's
 * relay publishes them through the transport, B's inbox handles each by appending one event plus
 * its inbox entry. Measures throughput with A kept at most {@link #MAX_LAG} messages ahead of B, then
 * the latency from A's append call to B's durable inbox append with A paced at half that throughput
 * (so the percentiles describe a loaded system, not an ever-growing queue).
 */
public final class MessagingBench implements BenchSuite {

    static final int MAX_LAG = 20_000;
    private static final int KEYS = 1_000;
    private static final int PAYLOAD_BYTES = 100;

    @Override
    public String name() {
        return "messaging";
    }

    @Override
    public String description() {
        return "outbox append to inbox append between two services on SQLite: throughput, p50, p99 per transport";
    }

    @Override
    public void run(BenchReport report, BenchOptions options) throws Exception {
        for (TransportCase c : TransportCase.all()) {
            try (c) {
                runCase(report, options, c, "", dir -> SqliteEventStore.open(dir, StoreOptions.defaults()));
                if (!options.quick()) { // without the stores' disk writes; that store keeps every event in the heap (see the note's GC share)
                    runCase(report, options, c, "-memory", dir -> new InMemoryEventStore());
                }
            }
        }
    }

    /** Opens the store of one service at {@code file}. */
    private interface StoreFactory {
        EventStore open(Path file) throws Exception;
    }

    private void runCase(BenchReport report, BenchOptions options, TransportCase c, String suffix, StoreFactory stores) throws Exception {
        String metric = "messaging." + c.name() + suffix;
        String only = System.getProperty("tandem.bench.only"); // e.g. -Dtandem.bench.only=messaging.inprocess, for profiling one case
        if (only != null && !only.equals(metric)) {
            return;
        }
        Path dir = Files.createTempDirectory(options.workDir(), "messaging-" + c.name());
        try (EventStore a = stores.open(dir.resolve("a.db"));
                EventStore b = stores.open(dir.resolve("b.db"));
                Transport transport = c.open()) {
            Run run = new Run(a, b, transport);
            Warmup.Outcome warm = options.warmUp(d -> run.measure(d.toNanos(), null, 0));
            run.drain();
            long start = System.nanoTime();
            long cpu0 = EngineBench.processCpuNanos();
            Warmup.JvmActivity jvm = new Warmup.JvmActivity();
            long sent = run.measure(options.duration().toNanos(), null, 0);
            run.drain(); // count until B has handled all of it: a backlog left behind is not throughput
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = EngineBench.processCpuNanos() - cpu0;
            report.note(metric + ": " + warm.describe() + "; " + jvm.describe());
            if (cpu > 0 && sent > 0) { // what a message costs, whatever else the machine is doing
                report.note(metric + ": " + String.format("%.1f", cpu / 1e3 / sent) + " us of CPU (whole process) per message");
            }
            long throughput = Math.round(sent / seconds);
            report.note(metric + ": " + sent + " messages appended and handled in " + String.format("%.1f", seconds)
                    + " s with the producer at most " + MAX_LAG + " ahead; figures on a shared 2-core machine are noisy");
            report.result(metric + ".throughput", throughput, "messages/s");
            long rate = Math.max(100, throughput / 2);
            Percentiles latency = new Percentiles();
            run.measure(options.duration().toNanos(), latency, rate);
            report.note(metric + ": latency of " + latency.count() + " messages sent at " + rate + "/s (half the throughput), append to inbox append");
            report.result(metric + ".p50", latency.millis(50), "ms");
            report.result(metric + ".p99", latency.millis(99), "ms");
            report.result(metric + ".p99.9", latency.millis(99.9), "ms");
            run.close();
        } finally {
            WorkFiles.deleteTree(dir);
        }
    }

    /** A producer on A, the relay from A and the inbox on B, running until closed. */
    private static final class Run implements AutoCloseable {
        private final EventStore a;
        private final OutboxRelay relay;
        private final Consumption consumption;
        private final Semaphore lag = new Semaphore(MAX_LAG);
        private volatile Percentiles sink;
        private long sent;

        Run(EventStore a, EventStore b, Transport transport) {
            this.a = a;
            MessageHandler handler = new MessageHandler() {
                @Override
                public Commit.Builder handle(Message m) {
                    return Commit.builder().append(StreamId.of("received-" + m.partitionKey()), ExpectedVersion.any(),
                            List.of(new NewEvent(NewEvent.newId(), "Received", m.payload(), "application/octet-stream", Metadata.EMPTY, null)));
                }

                @Override
                public boolean writesBlind() { // it reads nothing: a key's next message need not wait for the previous one's fsync
                    return true;
                }
            };
            InboxConsumer inbox = new InboxConsumer(b, "b/bench", handler, InboxOptions.defaults());
            // Pipelined, as the service runtime consumes: the next batch is handled while the previous one is made durable.
            this.consumption = transport.consume("b", "b", new PipelinedBatchListener() {
                @Override
                public CompletableFuture<Void> submit(List<Message> batch) {
                    return inbox.submit(batch).thenRun(() -> handled(batch));
                }

                @Override
                public void resume() {
                    inbox.resume();
                }

                @Override
                public void awaitCaughtUp() throws InterruptedException {
                    inbox.awaitCaughtUp();
                }

                @Override
                public void onMessages(List<Message> batch) throws InterruptedException {
                    inbox.onMessages(batch);
                    handled(batch);
                }
            });
            this.relay = new OutboxRelay(a, "a", transport, RelayOptions.named("bench")).start();
        }

        /** Counts a durably handled batch: its latencies, and room for the producer. */
        private void handled(List<Message> batch) {
            long now = System.nanoTime();
            Percentiles p = sink;
            if (p != null) {
                synchronized (p) {
                    for (Message m : batch) {
                        p.add(now - ByteBuffer.wrap(m.payload()).getLong());
                    }
                }
            }
            lag.release(batch.size());
        }

        /**
         * Produces for {@code nanos}, as fast as the lag bound allows or at {@code perSecond} when it is
         * positive, sampling latencies into {@code latency} if given; returns how many messages it appended.
         */
        long measure(long nanos, Percentiles latency, long perSecond) throws InterruptedException {
            sink = latency;
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - start < nanos) {
                if (perSecond > 0) {
                    long due = start + n * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // pacing the open-loop producer
                    }
                }
                lag.acquire();
                send();
                n++;
            }
            sink = null;
            return n;
        }

        /** Waits until B has handled everything A sent, so the next phase starts without a backlog. */
        void drain() throws InterruptedException {
            if (!lag.tryAcquire(MAX_LAG, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("B did not catch up with A within 120 s");
            }
            lag.release(MAX_LAG);
        }

        private void send() {
            long n = sent++;
            byte[] payload = new byte[PAYLOAD_BYTES];
            ByteBuffer.wrap(payload).putLong(System.nanoTime());
            String key = "k" + (n % KEYS);
            NewEvent e = new NewEvent(NewEvent.newId(), "Ping", payload, "application/octet-stream", Metadata.EMPTY, Route.to("b", key));
            a.commitAsync(Commit.of(StreamId.of("sent-" + key), ExpectedVersion.any(), List.of(e)));
        }

        @Override
        public void close() {
            relay.close();
            consumption.close();
        }
    }
}
