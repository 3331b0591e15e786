package dev.tandem.bench.e2e;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.tandem.TandemBanks;
import dev.tandem.example.bank.tandem.TandemLedger;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Bank transfers end to end, embedded (bank A, bank B and the coordinator on SQLite files in one JVM).
 *
 * <p>A transfer counts when its debit is durable in A, its credit durable in B and its terminal
 * state recorded in the coordinator's store and acknowledged to the client. Closed loop with 1, 8,
 * 32 and 128 clients over uniformly chosen accounts with ample funds; each case is checked by the
 * bank checker, and a violation fails the run.
 */
public final class E2eBench implements BenchSuite {

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String description() {
        return "bank transfers end to end (embedded: SQLite + in-process), closed loop 1/8/32/128 clients";
    }

    @Override
    public void run(BenchReport report, BenchOptions options) throws Exception {
        List<Integer> clients = options.quick() ? List.of(8, 128) : List.of(1, 8, 32, 128);
        for (int c : clients) {
            runCase(report, options, c);
        }
    }

    private void runCase(BenchReport report, BenchOptions options, int clients) throws Exception {
        Path dir = options.workDir().resolve("e2e-embedded-c" + clients + "-" + System.nanoTime());
        try (TandemBanks banks = TandemBanks.open(dir)) {
            TandemLedger ledger = banks.ledger();
            if (!options.warmup().isZero()) {
                // Separate accounts, so the measured run's checker sees only its own transfers in the histories.
                List<AccountRef> warm = banks.openAccounts("warm", 100, Money.of(1_000_000_000L, "EUR"));
                Scenario.run(banks, ledger, warm, load(clients, options.warmup(), "warm"), AccountChooser.uniform(warm),
                        Duration.ofSeconds(1), g -> {});
            }
            List<AccountRef> accounts = banks.openAccounts("bench", 500, Money.of(1_000_000_000L, "EUR"));
            AccountChooser chooser = AccountChooser.uniform(accounts);
            Scenario.Result r = Scenario.run(banks, ledger, accounts, load(clients, options.duration(), "run"), chooser,
                    Duration.ofSeconds(1), g -> {});
            String prefix = "e2e.embedded.c" + clients;
            report.result(prefix + ".throughput", Math.round(r.throughputPerSecond()), "transfers/s");
            report.result(prefix + ".p50", r.latencyMillis(50), "ms");
            report.result(prefix + ".p99", r.latencyMillis(99), "ms");
            report.result(prefix + ".p999", r.latencyMillis(99.9), "ms");
            if (!r.report().ok()) {
                report.note("checker violations: " + r.report().violations());
                throw new IllegalStateException("the checker found violations in " + prefix + ": " + r.report().violations());
            }
        }
    }

    private static LoadOptions load(int clients, Duration duration, String phase) {
        return new LoadOptions(clients, 0, duration, 0, 100, "EUR", TransferMode.TCC, Duration.ofSeconds(30),
                phase + "-" + System.nanoTime(), 7);
    }
}
