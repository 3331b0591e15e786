package dev.tandem.example.bank.tandem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transfers run by the saga engine over the in-process transport on real SQLite files; the checker finds no violation. */
class TandemBanksIT {

    @TempDir
    Path dir;

    @Nested
    class UnderConcurrentLoad {

        @ParameterizedTest
        @EnumSource(TransferMode.class)
        void conservesMoneyWithHotAccountsAndSomeRefusals(TransferMode mode) throws Exception {
            try (TandemBanks subject = TandemBanks.open(dir.resolve(mode.name()))) {
                List<AccountRef> accounts = subject.openAccounts("acct", 10, Money.of(10_000, "EUR"));
                LoadOptions load = new LoadOptions(32, 1_000, Duration.ofMinutes(3), 0, 6_000, "EUR", mode, Duration.ofSeconds(30), "it", 1);
                Scenario.Result result = Scenario.run(subject, subject.ledger(), accounts, load,
                        AccountChooser.zipf(accounts, 1.0), Duration.ofMillis(50), g -> {});
                System.out.printf("engine %s: %d transfers in %d ms = %.0f/s, p50 %.2f ms, p99 %.2f ms%n", mode, result.report().issued(),
                        result.elapsedNanos() / 1_000_000, result.throughputPerSecond(), result.latencyMillis(50), result.latencyMillis(99));
                assertThat(result.report().violations()).isEmpty();
                assertThat(result.report().issued()).isEqualTo(1_000);
                assertThat(result.report().committed()).isPositive();
                assertThat(result.report().compensated()).as("some transfers lack funds").isPositive();
                assertThat(result.report().finalTotal()).isEqualTo(20 * 10_000L);
            }
        }
    }

    @Nested
    class AfterARestartMidRun {

        @Test
        void finishesEveryTransferAndConservesMoney() throws Exception {
            Path data = dir.resolve("restart");
            List<AccountRef> accounts;
            List<TransferRequest> requests = new ArrayList<>();
            try (TandemBanks first = TandemBanks.open(data)) {
                accounts = first.openAccounts("acct", 5, Money.of(1_000, "EUR"));
                SplittableRandom random = new SplittableRandom(7);
                List<CompletableFuture<TransferOutcome>> started = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    AccountRef from = accounts.get(random.nextInt(accounts.size()));
                    AccountRef to = accounts.get(random.nextInt(accounts.size()));
                    if (from.equals(to)) {
                        continue;
                    }
                    TransferRequest r = new TransferRequest("r-" + i, from, to, Money.of(1 + random.nextInt(600), "EUR"),
                            i % 2 == 0 ? TransferMode.TCC : TransferMode.SAGA);
                    requests.add(r);
                    started.add(first.start(r));
                }
                // close while most transfers are still running
                await().atMost(Duration.ofSeconds(30)).until(() -> started.stream().filter(CompletableFuture::isDone).count() >= 20);
            }
            try (TandemBanks subject = TandemBanks.open(data)) {
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                            requests.stream().allMatch(r -> subject.query(r.transferId()).isTerminal()));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    List<String> open = requests.stream().filter(r -> !subject.query(r.transferId()).isTerminal())
                            .map(r -> r.mode() + " " + subject.coordinator().find(r.transferId().toString())
                                    .map(v -> v.status() + " " + v.reason() + " " + v.steps()).orElse("never started"))
                            .toList();
                    throw new AssertionError(open.size() + " transfers did not end: " + open, e);
                }
                Map<AccountRef, Long> balances = subject.ledger().balances(accounts);
                assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10 * 1_000L);
                assertThat(balances.values()).allMatch(b -> b >= 0);
                List<dev.tandem.example.bank.verify.Effect> effects = subject.ledger().effects(accounts).values().stream().flatMap(List::stream).toList();
                long credits = effects.stream().filter(e -> e.kind() == dev.tandem.example.bank.verify.Effect.Kind.CREDIT).count();
                long reversed = effects.stream().filter(e -> e.kind() == dev.tandem.example.bank.verify.Effect.Kind.CREDIT_REVERSAL).count();
                long committed = requests.stream().filter(r -> subject.query(r.transferId()) == TransferOutcome.COMMITTED).count();
                // A saga credit that landed after the coordinator gave up on it is taken back when the transfer is compensated.
                assertThat(credits - reversed).as("one credit per committed transfer, once reversals are counted").isEqualTo(committed);
                assertThat(subject.timerErrors()).isEmpty();
            }
        }
    }
}
