package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.postgres.PostgresEventStore;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.testkit.kafka.TestKafka;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on its server backends: every service's store on PostgreSQL, commands and replies on Kafka. The
 * coordinator runs in this JVM, or as a process of its own ({@link CoordinatorProcess}) that is killed with
 * SIGKILL while the banks (in this JVM) are handling its commands, then restarted on the same database.
 */
class PostgresKafkaEngineIT {

    static final int TRANSACTIONS = 12;

    @TempDir
    static Path kafkaDir;

    static TestDatabase db;
    static TestKafka kafka;
    static final AtomicInteger systems = new AtomicInteger();

    @BeforeAll
    static void servers() {
        db = TestPostgres.freshDatabase();
        kafka = TestKafka.inProcess(kafkaDir);
    }

    @AfterAll
    static void stop() {
        kafka.close();
        db.close();
    }

    static ServerSystem.Where where() {
        return new ServerSystem.Where(db.jdbcUrl(), db.user() == null ? "" : db.user(), db.password() == null ? "" : db.password(),
                kafka.bootstrapServers(), "e" + systems.incrementAndGet());
    }

    @Test
    void transactionsCommitAndCompensate() {
        try (ServerSystem system = new ServerSystem(where(), null)) {
            Bank a = system.bank("bank-a", 1000L);
            Bank b = system.bank("bank-b", 0L);
            b.limit = 15;
            Coordinator coordinator = system.coordinator(CoordinatorProcess.REGISTRY, Ownership.all(), 1);
            coordinator.recover();
            system.run(coordinator);
            List<CompletableFuture<?>> starts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                starts.add(coordinator.startAsync("ok-" + i, CrashChild.CRASH_TRANSFER.name(), "{\"amount\":10}"));
                starts.add(coordinator.startAsync("over-" + i, CrashChild.CRASH_TRANSFER.name(), "{\"amount\":20}"));
            }
            starts.forEach(f -> EventStore.await(f));

            await().atMost(Duration.ofSeconds(90)).until(() -> new TransactionQueries(system.storeOf(coordinator),
                    CoordinatorProcess.REGISTRY, java.time.InstantSource.system()).unfinishedOlderThan(Duration.ZERO, 1).isEmpty());
            for (int i = 0; i < 5; i++) {
                assertThat(coordinator.find("ok-" + i).orElseThrow().status()).isEqualTo(Status.COMMITTED);
                assertThat(coordinator.find("over-" + i).orElseThrow().status()).isEqualTo(Status.COMPENSATED);
                assertThat(a.movementsOf("ok-" + i)).isEqualTo(1);
                assertThat(b.movementsOf("ok-" + i)).isEqualTo(1);
                assertThat(a.movementsOf("over-" + i)).as("debit and refund").isEqualTo(2);
                assertThat(b.movementsOf("over-" + i)).isZero();
            }
            assertThat(a.balance()).isEqualTo(950);
            assertThat(b.balance()).isEqualTo(50);
            assertThat(system.timerErrors).isEmpty();
        }
    }

    @Test
    void aCoordinatorKilledMidTransactionFinishesEveryTransactionOnceAfterRestart() throws Exception {
        crash(false, "credit", 4); // the bank-b hook sees each credit twice: this is the second credit
    }

    @Test
    void aCoordinatorKilledMidCompensationFinishesEveryCompensationOnceAfterRestart() throws Exception {
        crash(true, "refund", 3);
    }

    @Test
    void twoCoordinatorsRacingForTheSameTransactionsGiveEachOneOutcomeAndEachEffectOnce() throws Exception {
        try (ServerSystem system = new ServerSystem(where(), null)) {
            Bank a = system.bank("bank-a", 1000L);
            Bank b = system.bank("bank-b", 0L);
            b.limit = 15;
            // split brain: both instances believe they own every transaction; only the stores' exact-version appends
            // and the participants' barriers stand between them
            List<Coordinator> racers = List.of(system.coordinator(CoordinatorProcess.REGISTRY, Ownership.all(), 1),
                    system.coordinator(CoordinatorProcess.REGISTRY, Ownership.all(), 2));
            List<CompletableFuture<?>> starts = new ArrayList<>();
            for (Coordinator c : racers) {
                starts.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<?>> mine = new ArrayList<>();
                    for (int i = 0; i < TRANSACTIONS; i++) {
                        mine.add(c.startAsync("k-" + i, CrashChild.CRASH_TRANSFER.name(), "{\"amount\":" + (i % 2 == 0 ? 10 : 20) + "}"));
                    }
                    mine.forEach(f -> EventStore.await(f));
                    c.recover();
                }));
            }
            starts.forEach(CompletableFuture::join);
            racers.forEach(system::run); // two reply consumers in one group, two relays on one outbox, two timer drivers

            Coordinator reader = racers.getFirst();
            await().atMost(Duration.ofSeconds(90)).until(() -> allFinal(reader));
            for (int i = 0; i < TRANSACTIONS; i++) {
                String id = "k-" + i;
                assertThat(terminalEvents(system.storeOf(reader), id)).as("one outcome of " + id).isEqualTo(1);
                if (i % 2 == 0) {
                    assertThat(reader.find(id).orElseThrow().status()).as(id).isEqualTo(Status.COMMITTED);
                    assertThat(a.movementsOf(id)).as("debits of " + id).isEqualTo(1);
                    assertThat(b.movementsOf(id)).as("credits of " + id).isEqualTo(1);
                } else {
                    assertThat(reader.find(id).orElseThrow().status()).as(id).isEqualTo(Status.COMPENSATED);
                    assertThat(a.movementsOf(id)).as("debit + refund of " + id).isEqualTo(2);
                    assertThat(b.movementsOf(id)).as("credits of " + id).isZero();
                }
            }
            assertThat(a.balance()).isEqualTo(1000 - 10 * TRANSACTIONS / 2);
            assertThat(b.balance()).isEqualTo(10 * TRANSACTIONS / 2);
            assertThat(system.timerErrors).isEmpty();
        }
    }

    @Test
    void leasesOnPostgresAreDisjointAndAPausedOwnerWhoseLeaseExpiredCannotAppend() throws Exception {
        ServerSystem.Where where = where();
        try (PostgresEventStore store = where.open("coordinator")) {
            MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
            List<LeaseOwnership> racing = List.of(new LeaseOwnership(store, "race", "one", 16, Duration.ofSeconds(30), clock),
                    new LeaseOwnership(store, "race", "two", 16, Duration.ofSeconds(30), clock));
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<List<Integer>>> acquired = racing.stream().map(l -> CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return l.acquire();
            })).toList();
            go.countDown();
            List<Integer> all = new ArrayList<>();
            acquired.forEach(f -> all.addAll(f.join()));
            assertThat(all).as("each partition has exactly one owner").containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 16).boxed().toList());

            MutableClock pausedClock = new MutableClock(clock.instant()); // the stale owner's time stops while it is paused
            LeaseOwnership staleLease = new LeaseOwnership(store, "fence", "stale", 4, Duration.ofSeconds(120), pausedClock);
            assertThat(staleLease.acquire()).hasSize(4);
            Coordinator stale = new Coordinator("coordinator", store, CoordinatorProcess.REGISTRY, pausedClock, new java.util.SplittableRandom(1),
                    staleLease);
            for (int i = 0; i < TRANSACTIONS; i++) {
                stale.start("k-" + i, CrashChild.CRASH_TRANSFER.name(), "{\"amount\":10}");
            }
            clock.advance(Duration.ofSeconds(121));
            LeaseOwnership newLease = new LeaseOwnership(store, "fence", "new", 4, Duration.ofSeconds(120), clock);
            assertThat(newLease.acquire()).hasSize(4);
            Coordinator owner = new Coordinator("coordinator", store, CoordinatorProcess.REGISTRY, clock, new java.util.SplittableRandom(2),
                    newLease);
            assertThat(owner.recover()).isEqualTo(TRANSACTIONS);
            List<Long> claimed = versions(store);

            pausedClock.advance(Duration.ofSeconds(61)); // the stale owner wakes: every debit timed out, its lease still looks valid
            assertThat(staleLease.leases()).hasSize(4);
            stale.fireDueTimers();
            assertThat(versions(store)).as("the stale owner appended nothing").isEqualTo(claimed);

            owner.fireDueTimers(); // the new owner drives them: the debits time out and compensation starts
            List<Long> after = versions(store);
            for (int i = 0; i < TRANSACTIONS; i++) {
                assertThat(after.get(i)).as("k-" + i).isGreaterThan(claimed.get(i));
                assertThat(owner.find("k-" + i).orElseThrow().status()).isEqualTo(Status.COMPENSATING);
            }
        }
    }

    private static List<Long> versions(EventStore store) {
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS; i++) {
            versions.add(store.streamVersion(TransactionStreams.streamOf("k-" + i)));
        }
        return versions;
    }

    /** Kills the coordinator process (SIGKILL) when a bank is about to run {@code operation} for the {@code n}-th time. */
    private void crash(boolean creditFails, String operation, int n) throws Exception {
        ServerSystem.Where where = where();
        Process[] coordinator = new Process[1];
        CountDownLatch killed = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        try (ServerSystem banks = new ServerSystem(where, null)) {
            Bank a = banks.bank("bank-a", 1000L);
            Bank b = banks.bank("bank-b", 0L);
            if (creditFails) {
                b.limit = 0;
            }
            java.util.function.Consumer<String> hook = op -> {
                if (op.equals(operation) && seen.incrementAndGet() == n) {
                    killed.countDown(); // first, so the test never takes this kill for the child dying by itself
                    coordinator[0].destroyForcibly(); // SIGKILL, while this bank is in the middle of the coordinator's command
                    try {
                        coordinator[0].waitFor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            a.beforeOperation = hook;
            b.beforeOperation = hook;

            System.out.println(java.time.Instant.now() + " banks ready");
            coordinator[0] = child(where, "fresh", List.of(Integer.toString(TRANSACTIONS), "10"));
            await().atMost(Duration.ofMinutes(2)).until(() -> killed.getCount() == 0 || !coordinator[0].isAlive());
            assertThat(killed.getCount()).as("the coordinator was killed by the test, not by itself; see target/coordinator-*.log").isZero();
            assertThat(coordinator[0].waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(coordinator[0].exitValue()).as("killed by SIGKILL").isEqualTo(137);

            System.out.println(java.time.Instant.now() + " killed the coordinator at " + operation + " " + n);
            Process restarted = child(where, "recover", List.of());
            try (PostgresEventStore store = where.open("coordinator")) {
                Coordinator reader = new Coordinator("coordinator", store, CoordinatorProcess.REGISTRY, java.time.InstantSource.system(),
                        new java.util.SplittableRandom(1), Ownership.all());
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    assertThat(restarted.isAlive()).as("the restarted coordinator runs").isTrue();
                    return allFinal(reader);
                });
                System.out.println(java.time.Instant.now() + " every transaction is final");
                for (int i = 0; i < TRANSACTIONS; i++) {
                    String id = "k-" + i;
                    Status status = reader.find(id).orElseThrow().status();
                    assertThat(terminalEvents(store, id)).as("one outcome of " + id).isEqualTo(1);
                    if (creditFails) {
                        assertThat(status).as(id).isEqualTo(Status.COMPENSATED);
                    }
                    if (status == Status.COMMITTED) {
                        assertThat(a.movementsOf(id)).as("debits of " + id).isEqualTo(1);
                        assertThat(b.movementsOf(id)).as("credits of " + id).isEqualTo(1);
                    } else {
                        assertThat(status).as(id).isEqualTo(Status.COMPENSATED);
                        assertThat(a.movementsOf(id)).as("debit + refund of " + id).isIn(0L, 2L);
                        assertThat(b.movementsOf(id)).as("credit + uncredit of " + id).isIn(0L, 2L);
                    }
                }
                assertThat(a.balance() + b.balance()).as("money is conserved").isEqualTo(1000);
            } finally {
                restarted.destroy();
                restarted.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            if (coordinator[0] != null) {
                coordinator[0].destroyForcibly();
            }
        }
    }

    static boolean allFinal(Coordinator reader) {
        for (int i = 0; i < TRANSACTIONS; i++) {
            var tx = reader.find("k-" + i);
            if (tx.isEmpty() || !(tx.get().status() == Status.COMMITTED || tx.get().status() == Status.COMPENSATED)) {
                return false;
            }
        }
        return true;
    }

    /** How many COMMITTED or COMPENSATED events the transaction's stream holds. */
    static long terminalEvents(EventStore store, String id) {
        return TransactionStreams.readAll(store, TransactionStreams.streamOf(id)).stream().map(RecordedEvent::type)
                .filter(t -> t.equals("tandem.saga.Committed") || t.equals("tandem.saga.Compensated")).count();
    }

    private static Process child(ServerSystem.Where where, String mode, List<String> more) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CoordinatorProcess.class.getName());
        command.addAll(where.args());
        command.add(mode);
        command.addAll(more);
        Path log = Path.of("target", "coordinator-" + where.prefix() + "-" + mode + ".log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
