package dev.tandem.cli;

import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem demo}: shows the embedded event store at work — appends, conflicts, idempotency, a subscription catching up. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo on the embedded store (SQLite file in --data-dir).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where the demo keeps its database (default: ${DEFAULT-VALUE}).", defaultValue = "tandem-data")
    Path dataDir;

    @Option(names = "--accounts", description = "How many account streams to create (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int accounts;

    record Deposited(long amount) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("demo-store.db");
        System.out.println("Opening the embedded event store " + file);
        try (SqliteEventStore store = SqliteEventStore.open(file, StoreOptions.defaults())) {
            long before = store.lastPosition();
            String run = Long.toString(System.currentTimeMillis(), 36);
            List<StreamId> streams = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < accounts; i++) {
                StreamId s = StreamId.of("account-" + run + "-" + i);
                streams.add(s);
                store.commitAsync(dev.tandem.eventstore.Commit.of(s, ExpectedVersion.noStream(), List.of(
                        NewEvent.json("AccountOpened", Map.of("owner", "customer " + i)),
                        NewEvent.json("Deposited", new Deposited(100 + i)))));
            }
            AppendResult last = store.append(streams.getFirst(), ExpectedVersion.exactly(2), List.of(NewEvent.json("Deposited", new Deposited(1))));
            long appendMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("Appended %d events to %d streams in %d ms (group commit; durable on return)%n",
                    accounts * 2 + 1, accounts, appendMillis);

            try {
                store.append(streams.getFirst(), ExpectedVersion.exactly(2), List.of(NewEvent.json("Deposited", new Deposited(5))));
                System.out.println("UNEXPECTED: a stale append was accepted");
                return 1;
            } catch (StreamVersionConflict conflict) {
                System.out.println("A stale writer was refused: " + conflict.getMessage());
            }
            NewEvent once = NewEvent.json("Deposited", new Deposited(7));
            store.append(streams.get(1), ExpectedVersion.exactly(2), List.of(once));
            AppendResult repeat = store.append(streams.get(1), ExpectedVersion.exactly(2), List.of(once));
            System.out.println("Re-appending the same event id is a no-op: written=" + repeat.written() + ", stream stays at version "
                    + store.streamVersion(streams.get(1)));

            Map<String, Long> balances = new ConcurrentHashMap<>();
            AtomicLong seen = new AtomicLong();
            try (Subscription sub = store.subscribe(SubscriptionRequest.fromPosition("demo-balances", before), batch -> {
                for (RecordedEvent e : batch) {
                    seen.incrementAndGet();
                    if (e.type().equals("Deposited")) {
                        balances.merge(e.stream().value(), e.payloadAs(Deposited.class).amount(), Long::sum);
                    }
                }
            })) {
                if (!sub.awaitPosition(store.lastPosition(), Duration.ofSeconds(30))) {
                    System.out.println("The subscription did not catch up in 30 s");
                    return 1;
                }
                System.out.printf("A subscription caught up from history: %d events, balances of %d accounts%n", seen.get(), balances.size());
                long t0 = System.nanoTime();
                AppendResult live = store.append(streams.get(2), ExpectedVersion.exactly(2), List.of(NewEvent.json("Deposited", new Deposited(42))));
                if (!sub.awaitPosition(live.lastPosition(), Duration.ofSeconds(10))) {
                    System.out.println("The live event was not delivered in 10 s");
                    return 1;
                }
                System.out.printf("...then received a live append %.2f ms after it was durable%n", (System.nanoTime() - t0) / 1e6);
            }
            List<RecordedEvent> history = store.readStream(streams.getFirst(), 1, ReadDirection.FORWARD, 10);
            System.out.println("History of " + streams.getFirst() + ":");
            for (RecordedEvent e : history) {
                System.out.printf("  v%d #%d %s %s %s%n", e.version(), e.position(), e.timestamp(), e.type(), new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8));
            }
            long expected = 0;
            for (int i = 0; i < accounts; i++) {
                expected += 100 + i;
            }
            expected += 1 + 7 + 42;
            long total = balances.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("Total deposited %d (expected %d); last position %d; store file %s%n", total, expected, store.lastPosition(), file);
            System.out.println(last.lastVersion() == 3 && total == expected ? "Demo OK" : "Demo FAILED");
            return last.lastVersion() == 3 && total == expected ? 0 : 1;
        }
    }
}
