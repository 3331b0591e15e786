package dev.tandem.cli;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.http.HttpBankClient;
import dev.tandem.example.bank.node.BankCluster;
import dev.tandem.example.bank.node.NodeConfig;
import dev.tandem.example.bank.node.ServiceProcess;
import dev.tandem.example.bank.tandem.TandemBanks;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.BankReader;
import dev.tandem.example.bank.verify.CheckReport;
import dev.tandem.example.bank.verify.LoadGenerator;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import dev.tandem.example.bank.verify.TransferClient;
import dev.tandem.example.bank.verify.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem demo}: bank A, bank B and the coordinator in one JVM (SQLite + in-process transport), or with
 * {@code --postgres URL --kafka BOOTSTRAP} as three separate processes on PostgreSQL and Kafka; random transfers;
 * the conservation check.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run bank A, bank B and the coordinator, make random transfers, and check that no money was created or lost.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where the banks keep their SQLite stores (default: ${DEFAULT-VALUE}).", defaultValue = "tandem-data")
    Path dataDir;

    @Option(names = "--transfers", description = "How many transfers to make (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int transfers;

    @Option(names = "--mode", description = "tcc or saga (default: ${DEFAULT-VALUE}).", defaultValue = "tcc")
    TransferMode mode;

    @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int clients;

    @Option(names = "--accounts", description = "Accounts per bank (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int accounts;

    @Option(names = "--postgres", description = "Distributed mode: PostgreSQL JDBC URL, credentials as ?user=...&password=... (with --kafka): "
            + "bank A, bank B and the coordinator run as separate processes, each in its own schema.")
    String postgres;

    @Option(names = "--kafka", description = "Distributed mode: Kafka bootstrap servers (with --postgres).")
    String kafka;

    @Override
    public Integer call() throws Exception {
        if ((postgres == null) != (kafka == null)) {
            System.err.println("tandem demo: the distributed mode needs both --postgres and --kafka");
            return 2;
        }
        if (transfers < 1 || clients < 1 || accounts < 1) {
            System.err.println("tandem demo: --transfers, --clients and --accounts must be at least 1");
            return 2;
        }
        String run = "r" + Long.toString(System.currentTimeMillis(), 36);
        if (postgres != null) {
            return distributed(run);
        }
        System.out.printf("Starting bank A, bank B and the coordinator (SQLite stores in %s, saga engine over the in-process transport)%n", dataDir.toAbsolutePath());
        try (TandemBanks banks = TandemBanks.open(dataDir)) {
            Money opening = Money.of(100_000, "EUR");
            List<AccountRef> refs = banks.openAccounts(run, accounts, opening);
            System.out.printf("Opened %d accounts in A and %d in B with %s each; %d %s transfers by %d clients (hot accounts, some bound to fail)%n",
                    accounts, accounts, format(opening.minor()), transfers, mode, clients);
            LoadOptions load = load(run);
            return summary(runWithProgress(banks, banks.ledger(), refs, load));
        }
    }

    /** Bank A, bank B and the coordinator as separate processes on PostgreSQL and Kafka; load and checks over HTTP. */
    private int distributed(String run) throws Exception {
        NodeConfig config = new NodeConfig(dataDir, postgres, kafka, NodeConfig.DEFAULT_TOPIC_PREFIX);
        Path logs = dataDir.resolve("logs-" + run);
        System.out.printf("Starting bank A, bank B and the coordinator as separate processes (PostgreSQL %s, Kafka %s; logs in %s)%n",
                postgres, kafka, logs.toAbsolutePath());
        try (BankCluster cluster = BankCluster.start(config, logs)) {
            for (ServiceProcess p : cluster.processes()) {
                System.out.printf("  %s: pid %d, http://127.0.0.1:%d%n", p.name(), p.pid(), p.port());
            }
            HttpBankClient client = cluster.client();
            Money opening = Money.of(100_000, "EUR");
            List<AccountRef> refs = new ArrayList<>();
            for (String bank : BankCluster.BANKS) {
                for (int i = 0; i < accounts; i++) {
                    AccountRef ref = new AccountRef(bank, run + "-" + i);
                    client.open(ref, opening.minor(), opening.currency());
                    refs.add(ref);
                }
            }
            System.out.printf("Opened %d accounts in A and %d in B with %s each; %d %s transfers by %d clients over HTTP%n",
                    accounts, accounts, format(opening.minor()), transfers, mode, clients);
            return summary(runWithProgress(client, client, refs, load(run)));
        }
    }

    private LoadOptions load(String run) {
        return new LoadOptions(clients, transfers, Duration.ofMinutes(10), 0, 60_000, "EUR", mode, Duration.ofSeconds(30), run, System.nanoTime());
    }

    private Scenario.Result runWithProgress(TransferClient client, BankReader reader, List<AccountRef> refs, LoadOptions load) throws Exception {
        AtomicReference<LoadGenerator> generator = new AtomicReference<>();
        ProgressBar bar = new ProgressBar(transfers, () -> generator.get() == null ? 0 : generator.get().completed());
        try {
            bar.start();
            return Scenario.run(client, reader, refs, load, AccountChooser.zipf(refs, 0.8), Duration.ofMillis(50), generator::set);
        } finally {
            bar.stop();
        }
    }

    private int summary(Scenario.Result result) {
        CheckReport r = result.report();
        System.out.println();
        System.out.printf(Locale.ROOT, "Transfers   %d issued: %d committed, %d compensated%n", r.issued(), r.committed(), r.compensated());
        System.out.printf(Locale.ROOT, "Throughput  %.0f transfers/s (%.1f s)%n", result.throughputPerSecond(), result.elapsedNanos() / 1e9);
        System.out.printf(Locale.ROOT, "Latency     p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", result.latencyMillis(50),
                result.latencyMillis(99), result.latencyMillis(99.9), result.latencyMillis(100));
        System.out.printf(Locale.ROOT, "Total       before %s, after %s%n", format(r.initialTotal()), format(r.finalTotal()));
        if (r.ok()) {
            System.out.println("Check       OK: total conserved, no negative balance, every transfer finished, one debit per transfer, every effect in its transfer's trace");
            return 0;
        }
        System.out.println("Check       FAILED:");
        for (Violation v : r.violations()) {
            System.out.println("  " + v);
        }
        return 1;
    }

    static String format(long minor) {
        return String.format(Locale.ROOT, "%d.%02d EUR", minor / 100, Math.abs(minor % 100));
    }
}
