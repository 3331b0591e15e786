package dev.tandem.example.bank.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bank A, bank B and the coordinator on real SQLite files under concurrent load; the checker finds no violation. */
class EmbeddedBankIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TransferMode.class)
    void conservesMoneyUnderConcurrentTransfersWithHotAccounts(TransferMode mode) throws Exception {
        try (EmbeddedBanks banks = EmbeddedBanks.open(dir.resolve(mode.name()))) {
            List<AccountRef> accounts = DemoSetup.openAccounts(banks, "acct", 20, Money.of(10_000, "EUR"));
            LoadOptions load = new LoadOptions(32, 3_000, Duration.ofSeconds(30), 0, 6_000, "EUR", mode, Duration.ofSeconds(10), "it", 1);
            Scenario.Result subject = Scenario.run(banks.client(), new Ledger(banks.banks()), accounts, load,
                    AccountChooser.zipf(accounts, 1.0), Duration.ofMillis(20), g -> {});
            System.out.printf("%s: %d transfers in %d ms = %.0f/s, p50 %.2f ms, p99 %.2f ms, %d reads%n", mode, subject.report().issued(),
                    subject.elapsedNanos() / 1_000_000, subject.throughputPerSecond(), subject.latencyMillis(50), subject.latencyMillis(99),
                    0);
            assertThat(subject.report().violations()).isEmpty();
            assertThat(subject.report().issued()).isEqualTo(3_000);
            assertThat(subject.report().committed()).isPositive();
            assertThat(subject.report().compensated()).as("some transfers lack funds").isPositive();
            assertThat(subject.report().finalTotal()).isEqualTo(40 * 10_000L);
        }
    }
}
