package dev.tandem.bench.e2e;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.bench.Warmup;
import dev.tandem.bench.WorkFiles;
import dev.tandem.bench.engine.EngineBench;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.http.HttpBankClient;
import dev.tandem.example.bank.node.BankCluster;
import dev.tandem.example.bank.node.NodeConfig;
import dev.tandem.example.bank.tandem.TandemBanks;
import dev.tandem.example.bank.tandem.TandemLedger;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.BankReader;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import dev.tandem.example.bank.verify.TransferClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bank transfers end to end, in two deployments:
 * <ul>
 *   <li>embedded: bank A, bank B and the coordinator in one JVM on SQLite files and the in-process transport;</li>
 *   <li>distributed: the three as separate processes, each with its own schema in one PostgreSQL, talking over a
 *       Kafka broker; PostgreSQL and Kafka run as processes of their own; the clients call the coordinator's HTTP API.</li>
 * </ul>
 *
 * <p>A transfer counts when its debit is durable in A, its credit durable in B and its terminal state recorded in the
 * coordinator's store and acknowledged to the client. Closed loop with 1, 8, 32 and 128 clients over uniformly chosen
 * accounts with ample funds; each case is checked by the bank checker, and a violation fails the run.
 * {@code e2e-embedded} and {@code e2e-distributed} run one deployment only.
 */
public class E2eBench implements BenchSuite {

    private final boolean embedded;
    private final boolean distributed;

    public E2eBench() {
        this(true, true);
    }

    E2eBench(boolean embedded, boolean distributed) {
        this.embedded = embedded;
        this.distributed = distributed;
    }

    @Override
    public String name() {
        return embedded && distributed ? "e2e" : embedded ? "e2e-embedded" : "e2e-distributed";
    }

    @Override
    public String description() {
        String what = embedded && distributed ? "embedded (SQLite + in-process) and distributed (processes on PostgreSQL + Kafka)"
                : embedded ? "embedded only (SQLite + in-process)" : "distributed only (processes on PostgreSQL + Kafka)";
        return "bank transfers end to end, " + what + ", closed loop 1/8/32/128 clients";
    }

    @Override
    public void run(BenchReport report, BenchOptions options) throws Exception {
        List<Integer> clients = options.quick() ? List.of(8, 128) : List.of(1, 8, 32, 128);
        String only = System.getProperty("tandem.bench.e2e.clients"); // e.g. -Dtandem.bench.e2e.clients=128, for profiling one case
        if (only != null) {
            clients = java.util.Arrays.stream(only.split(",")).map(String::trim).map(Integer::valueOf).toList();
        }
        if (embedded) {
            for (int c : clients) {
                runEmbedded(report, options, c);
            }
        }
        if (distributed) {
            runDistributed(report, options, clients);
        }
    }

    private void runEmbedded(BenchReport report, BenchOptions options, int clients) throws Exception {
        Path dir = options.workDir().resolve("e2e-embedded-c" + clients + "-" + System.nanoTime());
        runEmbeddedIn(dir, report, options, clients);
        WorkFiles.deleteTree(dir); // only after a passing case: a failed one leaves its stores for a look
    }

    private void runEmbeddedIn(Path dir, BenchReport report, BenchOptions options, int clients) throws Exception {
        try (TandemBanks banks = TandemBanks.open(dir)) {
            TandemLedger ledger = banks.ledger();
            // Separate accounts, so the measured run's checker sees only its own transfers in the histories; fresh ones each
            // round, so a round's checker reads only that round's.
            int[] round = {0};
            Warmup.Outcome warm = options.warmUp(d -> {
                List<AccountRef> warmAccounts = banks.openAccounts("warm" + round[0]++, 100, Money.of(1_000_000_000L, "EUR"));
                Scenario.run(banks, ledger, warmAccounts, load(clients, d, "warm"), AccountChooser.uniform(warmAccounts),
                        Duration.ofSeconds(1), g -> {});
            });
            List<AccountRef> accounts = banks.openAccounts("bench", 500, Money.of(1_000_000_000L, "EUR"));
            long cpu0 = EngineBench.processCpuNanos();
            Warmup.JvmActivity jvm = new Warmup.JvmActivity();
            long issued = measure(report, "e2e.embedded.c" + clients, banks, ledger, accounts, load(clients, options.duration(), "run"));
            long cpu = EngineBench.processCpuNanos() - cpu0;
            report.note("e2e.embedded.c" + clients + ": " + warm.describe() + "; " + jvm.describe());
            if (cpu > 0 && issued > 0) { // what a transfer costs, whatever else the machine is doing
                report.note(String.format(Locale.ROOT, "e2e.embedded.c%d: %.3f ms of CPU (whole process: banks, coordinator, clients, checker)"
                        + " per transfer", clients, cpu / 1e6 / issued));
            }
        }
    }

    /** One PostgreSQL, one Kafka and the three service processes for every client count; fresh accounts per case. */
    private void runDistributed(BenchReport report, BenchOptions options, List<Integer> clients) throws Exception {
        Path dir = options.workDir().resolve("e2e-distributed-" + System.nanoTime());
        try (LocalInfra infra = LocalInfra.start(dir.resolve("infra"));
             BankCluster cluster = BankCluster.start(new NodeConfig(dir, infra.postgresUrl(), infra.kafkaBootstrap(), "e2e."), dir)) {
            report.note("distributed: PostgreSQL " + infra.postgresUrl() + ", Kafka " + infra.kafkaBootstrap() + ", service logs in " + dir
                    + " (deleted once every case passed)");
            HttpBankClient client = cluster.client();
            for (int c : clients) {
                if (!options.warmup().isZero()) { // a fixed warm-up: the services' JIT compilers run in processes of their own
                    List<AccountRef> warm = open(client, "warm" + c, 50);
                    Scenario.run(client, client, warm, load(c, options.warmup(), "warm"), AccountChooser.uniform(warm), Duration.ofSeconds(1), g -> {});
                }
                List<AccountRef> accounts = open(client, "bench" + c, 200);
                measure(report, "e2e.distributed.c" + c, client, client, accounts, load(c, options.duration(), "run"));
            }
        }
        WorkFiles.deleteTree(dir); // only after passing cases: a failed run leaves its logs and data for a look
    }

    private static List<AccountRef> open(HttpBankClient client, String prefix, int perBank) throws Exception {
        List<AccountRef> accounts = new ArrayList<>();
        for (String bank : BankCluster.BANKS) {
            for (int i = 0; i < perBank; i++) {
                AccountRef a = new AccountRef(bank, prefix + "-" + i);
                client.open(a, 1_000_000_000L, "EUR");
                accounts.add(a);
            }
        }
        return accounts;
    }

    /** Runs one checked case and reports it; returns the number of transfers issued. */
    private static long measure(BenchReport report, String prefix, TransferClient client, BankReader reader, List<AccountRef> accounts,
            LoadOptions load) throws Exception {
        Scenario.Result r = Scenario.run(client, reader, accounts, load, AccountChooser.uniform(accounts), Duration.ofSeconds(1), g -> {});
        report.result(prefix + ".throughput", Math.round(r.throughputPerSecond()), "transfers/s");
        report.result(prefix + ".p50", r.latencyMillis(50), "ms");
        report.result(prefix + ".p99", r.latencyMillis(99), "ms");
        report.result(prefix + ".p999", r.latencyMillis(99.9), "ms");
        report.note(String.format(Locale.ROOT, "%s: %d transfers, %d client errors; load average %s", prefix, r.report().issued(), r.clientErrors(),
                loadAverage()));
        if (!r.report().ok()) {
            report.note("checker violations: " + r.report().violations());
            throw new IllegalStateException("the checker found violations in " + prefix + ": " + r.report().violations());
        }
        return r.report().issued();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static LoadOptions load(int clients, Duration duration, String phase) {
        return new LoadOptions(clients, 0, duration, 0, 100, "EUR", TransferMode.TCC, Duration.ofSeconds(30),
                phase + "-" + System.nanoTime(), 7);
    }

    /** {@code e2e-embedded}: the embedded deployment only. */
    public static final class Embedded extends E2eBench {
        public Embedded() {
            super(true, false);
        }
    }

    /** {@code e2e-distributed}: the distributed deployment only. */
    public static final class Distributed extends E2eBench {
        public Distributed() {
            super(false, true);
        }
    }
}
