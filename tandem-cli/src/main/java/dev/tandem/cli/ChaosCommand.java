package dev.tandem.cli;

import dev.tandem.bench.WorkFiles;
import dev.tandem.bench.e2e.LocalInfra;
import dev.tandem.example.bank.http.HttpBankClient;
import dev.tandem.example.bank.node.BankCluster;
import dev.tandem.example.bank.node.FaultTarget;
import dev.tandem.example.bank.node.NodeConfig;
import dev.tandem.example.bank.node.NodeMain;
import dev.tandem.example.bank.node.ServiceProcess;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.CheckReport;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import dev.tandem.example.bank.verify.Violation;
import dev.tandem.testkit.kafka.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem chaos}: bank A, bank B and the coordinator as separate processes on Tandem's engine under load;
 * kills (SIGKILL) and restarts one every few seconds or pauses one (SIGSTOP/SIGCONT) past its timeouts; then heals,
 * resolves every transfer and runs the checker. Exits 1 on any violation, with the evidence.
 *
 * <p>Embedded (default): each service keeps its events in its own SQLite file and the services talk over a Kafka
 * broker that this command starts as a process of its own (the transport between processes; it is not faulted).
 * Distributed ({@code --distributed}): PostgreSQL (one schema per service) and the Kafka broker run as processes of
 * their own and are killed and paused too, and the coordinator runs as two instances on its schema, one leading and one
 * standing by: killing or pausing the leader past its lease moves the lead.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the bank as separate processes under load while killing and pausing them; then check the bank's guarantees.")
final class ChaosCommand implements Callable<Integer> {

    private static final String KAFKA_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    @Option(names = "--duration", description = "How long to inject faults under load (default: ${DEFAULT-VALUE}).", defaultValue = "60s")
    String duration;

    @Option(names = "--fault-every", description = "Mean time between faults (default: ${DEFAULT-VALUE}).", defaultValue = "3s")
    String faultEvery;

    @Option(names = "--pause", description = "How long a paused process stays stopped; past the 5 s step timeout (default: ${DEFAULT-VALUE}).",
            defaultValue = "6s")
    String pause;

    @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int clients;

    @Option(names = "--mode", description = "tcc or saga (default: ${DEFAULT-VALUE}).", defaultValue = "tcc")
    TransferMode mode;

    @Option(names = "--distributed", description = "PostgreSQL and Kafka as processes of their own, killed and paused too (default: SQLite per service).")
    boolean distributed;

    @Option(names = "--coordinators", description = "Coordinator instances, one leading at a time under a lease, the others standing by "
            + "(default: 2 with --distributed, 1 otherwise: SQLite files are not shared between processes).")
    Integer coordinators;

    @Option(names = "--data-dir", description = "Where the processes keep their data and logs (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--seed", description = "Random seed for faults and load (default: time).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        Duration run = Durations.parse(duration, "--duration");
        Duration every = Durations.parse(faultEvery, "--fault-every");
        Duration paused = Durations.parse(pause, "--pause");
        if (clients < 1) {
            System.err.println("tandem chaos: --clients must be at least 1");
            return 2;
        }
        if (coordinators == null) {
            coordinators = distributed ? 2 : 1;
        }
        if (coordinators < 1 || coordinators > 9 || (coordinators > 1 && !distributed)) {
            System.err.println("tandem chaos: --coordinators must be within 1..9, and more than 1 needs --distributed (instances share a "
                    + "PostgreSQL schema); was " + coordinators);
            return 2;
        }
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("tandem-chaos-");
        int status = runIn(dir, run, every, paused);
        if (status == 0 && dataDir == null) {
            WorkFiles.deleteTree(dir); // a failing run keeps its data and logs as evidence; a passing one's are gigabytes of nothing
            System.out.println("chaos: removed " + dir + " (--data-dir keeps a passing run's files)");
        }
        return status;
    }

    private int runIn(Path dir, Duration run, Duration every, Duration paused) throws Exception {
        long s = seed != null ? seed : System.nanoTime();
        System.out.println("chaos: seed " + s + ", " + (distributed ? "distributed (PostgreSQL + Kafka)" : "embedded (SQLite per service, Kafka between them)")
                + ", data and logs in " + dir);
        // Kafka's clients log their configuration at INFO; keep the chaos report readable unless asked otherwise.
        System.setProperty(KAFKA_LOG_LEVEL, System.getProperty(KAFKA_LOG_LEVEL, "error"));
        String topics = "chaos-" + Long.toString(s & Long.MAX_VALUE, 36) + ".";
        List<FaultTarget> targets = new ArrayList<>();
        LocalInfra infra = null;
        TestKafka kafka = null;
        BankCluster cluster = null;
        try {
            NodeConfig config;
            if (distributed) {
                infra = LocalInfra.start(dir.resolve("infra"));
                config = new NodeConfig(dir, infra.postgresUrl(), infra.kafkaBootstrap(), topics);
                System.out.println("chaos: started PostgreSQL (" + infra.postgresUrl() + ") and Kafka (" + infra.kafkaBootstrap() + ")");
            } else {
                kafka = TestKafka.separateProcess(dir.resolve("kafka"));
                config = new NodeConfig(dir, null, kafka.bootstrapServers(), topics);
                System.out.println("chaos: started Kafka (" + kafka.bootstrapServers() + ")");
            }
            cluster = BankCluster.start(config, dir, coordinators, NodeMain.DEFAULT_LEASE_TTL);
            for (ServiceProcess p : cluster.processes()) {
                System.out.println("chaos: started " + p);
                targets.add(p);
            }
            if (infra != null) {
                targets.add(infra.postgres());
                targets.add(infra.kafka());
            }
            return runChecked(cluster.client(), targets, run, every, paused, s, dir);
        } finally {
            for (FaultTarget t : targets) {
                t.resume();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (infra != null) {
                infra.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private int runChecked(HttpBankClient client, List<FaultTarget> targets, Duration run, Duration every, Duration paused, long s, Path dir)
            throws Exception {
        List<AccountRef> accounts = new ArrayList<>();
        for (String bank : BankCluster.BANKS) {
            for (int i = 0; i < 8; i++) {
                AccountRef a = new AccountRef(bank, "acct-" + i);
                client.open(a, 10_000, "EUR");
                accounts.add(a);
            }
        }
        AtomicBoolean loadRunning = new AtomicBoolean(true);
        List<String> faults = new ArrayList<>();
        Thread injector = Thread.ofPlatform().name("tandem-chaos-faults-1").start(() -> inject(targets, run, every, paused, s, faults, loadRunning));
        LoadOptions load = new LoadOptions(clients, 0, run, 0, 6_000, "EUR", mode, Duration.ofSeconds(5), "chaos" + Long.toString(s, 36), s);
        Scenario.Result result;
        try {
            result = Scenario.run(client, client, accounts, load, AccountChooser.zipf(accounts, 0.8), Duration.ofMillis(250), g -> {});
        } finally {
            loadRunning.set(false);
            injector.join();
        }
        return summary(result, faults, s, dir);
    }

    /** Faults until the load stops; every fault is healed before the next one (a killed process is restarted, a paused one resumed). */
    private static void inject(List<FaultTarget> targets, Duration run, Duration every, Duration paused, long seed, List<String> faults,
            AtomicBoolean running) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        try {
            while (running.get() && System.nanoTime() - start < run.minus(every).toNanos()) {
                Thread.sleep(every.toMillis() / 2 + random.nextLong(every.toMillis())); // fault pacing
                FaultTarget victim = targets.get(random.nextInt(targets.size()));
                String at = String.format(Locale.ROOT, "%5.1fs", (System.nanoTime() - start) / 1e9);
                if (random.nextInt(3) < 2) {
                    victim.kill();
                    victim.start();
                    faults.add(at + " SIGKILL + restart " + victim.name());
                } else {
                    victim.pause();
                    Thread.sleep(paused.toMillis() + random.nextLong(1_000)); // how long the process stays stopped
                    victim.resume();
                    faults.add(at + " SIGSTOP/SIGCONT " + victim.name());
                }
                System.out.println("chaos: " + faults.getLast());
            }
        } catch (Exception e) {
            faults.add("fault injection stopped: " + e);
            System.out.println("chaos: " + faults.getLast());
        }
    }

    private static int summary(Scenario.Result result, List<String> faults, long seed, Path dir) {
        CheckReport r = result.report();
        System.out.printf(Locale.ROOT, "chaos: %d faults; %d transfers issued: %d committed, %d compensated (%d unknown outcomes resolved by query)%n",
                faults.size(), r.issued(), r.committed(), r.compensated(), r.resolvedUnknowns());
        System.out.printf(Locale.ROOT, "chaos: total before %d, after %d; %.0f transfers/s; p99 %.1f ms%n", r.initialTotal(), r.finalTotal(),
                result.throughputPerSecond(), result.latencyMillis(99));
        if (r.ok()) {
            System.out.println("chaos: check OK: total conserved, no negative balance, every transfer finished, one debit per transfer, every effect in its transfer's trace");
            return 0;
        }
        System.out.println("chaos: check FAILED (seed " + seed + "; the services' logs and stores are in " + dir + "):");
        for (Violation v : r.violations()) {
            System.out.println("  " + v);
        }
        System.out.println("chaos: faults injected:");
        faults.forEach(f -> System.out.println("  " + f));
        return 1;
    }
}
