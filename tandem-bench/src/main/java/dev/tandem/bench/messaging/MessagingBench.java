package dev.tandem.bench.messaging;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.bench.Percentiles;
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
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Two services in one JVM, each on its own SQLite file: A appends routed events (its outbox), A's
 * relay publishes them through the transport, B's inbox handles each by appending one event plus
 * its inbox entry. Measures throughput and the latency from A's append call to B's durable inbox
 * append, with A kept at most {@link #MAX_LAG} messages ahead of B (closed loop, so latency is not
 * just an ever-growing queue).
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
                if (!options.quick()) { // the messaging layer's own ceiling, without the stores' disk writes
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
        Path dir = Files.createTempDirectory(options.workDir(), "messaging-" + c.name());
        String metric = "messaging." + c.name() + suffix;
        try (EventStore a = stores.open(dir.resolve("a.db"));
                EventStore b = stores.open(dir.resolve("b.db"));
                Transport transport = c.open()) {
            Run run = new Run(a, b, transport);
            run.measure(options.warmup().toNanos(), null);
            Percentiles latency = new Percentiles();
            long[] measured = run.measure(options.duration().toNanos(), latency);
            double seconds = measured[1] / 1e9;
            report.note(metric + ": " + measured[0] + " messages in " + String.format("%.1f", seconds) + " s, producer at most "
                    + MAX_LAG + " ahead; figures on a shared 2-core machine are noisy");
            report.result(metric + ".throughput", Math.round(measured[0] / seconds), "messages/s");
            report.result(metric + ".p50", latency.millis(50), "ms");
            report.result(metric + ".p99", latency.millis(99), "ms");
            run.close();
        } finally {
            deleteTree(dir);
        }
    }

    /** A producer on A, the relay from A and the inbox on B, running until closed. */
    private static final class Run implements AutoCloseable {
        private final EventStore a;
        private final OutboxRelay relay;
        private final Consumption consumption;
        private final Semaphore lag = new Semaphore(MAX_LAG);
        private final AtomicLong handled = new AtomicLong();
        private volatile Percentiles sink;
        private long sent;

        Run(EventStore a, EventStore b, Transport transport) {
            this.a = a;
            MessageHandler handler = m -> Commit.builder().append(StreamId.of("received-" + m.partitionKey()), ExpectedVersion.any(),
                    List.of(new NewEvent(NewEvent.newId(), "Received", m.payload(), "application/octet-stream", Metadata.EMPTY, null)));
            InboxConsumer inbox = new InboxConsumer(b, "b/bench", handler, InboxOptions.defaults());
            this.consumption = transport.consume("b", "b", batch -> {
                inbox.onMessages(batch);
                long now = System.nanoTime();
                Percentiles p = sink;
                if (p != null) {
                    synchronized (p) {
                        for (Message m : batch) {
                            p.add(now - ByteBuffer.wrap(m.payload()).getLong());
                        }
                    }
                }
                handled.addAndGet(batch.size());
                lag.release(batch.size());
            });
            this.relay = new OutboxRelay(a, "a", transport, RelayOptions.named("bench")).start();
        }

        /** Produces for {@code nanos}; returns {messages handled, elapsed nanos}. */
        long[] measure(long nanos, Percentiles latency) throws InterruptedException {
            sink = latency;
            long startHandled = handled.get();
            long start = System.nanoTime();
            while (System.nanoTime() - start < nanos) {
                lag.acquire();
                send();
            }
            long elapsed = System.nanoTime() - start;
            sink = null;
            return new long[] {handled.get() - startHandled, elapsed};
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

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
