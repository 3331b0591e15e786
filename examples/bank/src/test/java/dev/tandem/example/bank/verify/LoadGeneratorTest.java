package dev.tandem.example.bank.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.messaging.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    static final List<AccountRef> ACCOUNTS = List.of(new AccountRef("A", "a1"), new AccountRef("A", "a2"),
            new AccountRef("B", "b1"), new AccountRef("B", "b2"));

    /** A bank that moves money atomically under a lock; every third request "times out" after it took effect. */
    static final class FakeBank implements TransferClient {
        final Map<AccountRef, Long> balances = new HashMap<>();
        final Map<UUID, TransferOutcome> outcomes = new ConcurrentHashMap<>();
        final Map<AccountRef, List<Effect>> effects = new HashMap<>();
        int calls;

        FakeBank() {
            ACCOUNTS.forEach(a -> balances.put(a, 1_000L));
        }

        @Override
        public synchronized TransferOutcome transfer(TransferRequest r, TraceContext trace, Duration timeout) {
            UUID id = r.transferId();
            long amount = r.amount().minor();
            TransferOutcome outcome;
            if (balances.get(r.from()) >= amount) {
                balances.merge(r.from(), -amount, Long::sum);
                balances.merge(r.to(), amount, Long::sum);
                effects.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(new Effect(id, Effect.Kind.DEBIT, amount, trace.traceparent()));
                effects.computeIfAbsent(r.to(), k -> new ArrayList<>()).add(new Effect(id, Effect.Kind.CREDIT, amount, trace.traceparent()));
                outcome = TransferOutcome.COMMITTED;
            } else {
                outcome = TransferOutcome.COMPENSATED;
            }
            outcomes.put(id, outcome);
            return ++calls % 3 == 0 ? TransferOutcome.PENDING : outcome;
        }

        @Override
        public TransferOutcome query(UUID id) {
            return outcomes.getOrDefault(id, TransferOutcome.PENDING);
        }
    }

    static LoadOptions options(int clients, long transfers, double rate) {
        return new LoadOptions(clients, transfers, Duration.ofSeconds(20), rate, 800, "EUR", TransferMode.TCC,
                Duration.ofSeconds(1), "test", 42);
    }

    @Nested
    class Closed_loop {
        @Test
        void issuesExactlyTheRequestedTransfersAndTheCheckerAcceptsTheRunAfterResolvingUnknowns() throws Exception {
            FakeBank bank = new FakeBank();
            Map<AccountRef, Long> initial = Map.copyOf(bank.balances);
            LoadGenerator subject = new LoadGenerator(bank, AccountChooser.uniform(ACCOUNTS), options(4, 300, 0));
            List<IssuedTransfer> seen = subject.run();
            assertThat(seen).hasSize(300);
            assertThat(subject.completed()).isEqualTo(300);
            assertThat(seen).filteredOn(IssuedTransfer::timedOut).hasSize(100);
            List<IssuedTransfer> resolved = LoadGenerator.resolve(seen, bank, Duration.ofSeconds(5));
            CheckReport report = BankChecker.check(new RunHistory(initial, resolved, List.of(), bank.balances, bank.effects));
            assertThat(report.violations()).isEmpty();
            assertThat(report.resolvedUnknowns()).isEqualTo(100);
            assertThat(report.committed() + report.compensated()).isEqualTo(300);
            assertThat(report.compensated()).as("some transfers lack funds").isPositive();
        }
    }

    @Nested
    class Open_loop {
        @Test
        void issuesAtTheFixedRateAndMeasuresFromTheIntendedStart() throws Exception {
            FakeBank bank = new FakeBank();
            LoadGenerator subject = new LoadGenerator(bank, AccountChooser.uniform(ACCOUNTS), options(8, 50, 500));
            long start = System.nanoTime();
            List<IssuedTransfer> seen = subject.run();
            long elapsed = System.nanoTime() - start;
            assertThat(seen).hasSize(50);
            assertThat(elapsed).as("50 at 500/s take about 100 ms").isGreaterThanOrEqualTo(Duration.ofMillis(95).toNanos());
            long first = seen.stream().mapToLong(IssuedTransfer::invokedNanos).min().orElseThrow();
            long last = seen.stream().mapToLong(IssuedTransfer::invokedNanos).max().orElseThrow();
            assertThat(last - first).as("intended starts are 2 ms apart").isEqualTo(49 * 2_000_000L);
        }
    }

    @Nested
    class Account_choice {
        @Test
        void zipfMakesTheFirstAccountsHotAndPairsAreAlwaysTwoDifferentAccounts() {
            AccountChooser subject = AccountChooser.zipf(ACCOUNTS, 1.2);
            SplittableRandom random = new SplittableRandom(7);
            Map<AccountRef, Integer> counts = new HashMap<>();
            for (int i = 0; i < 10_000; i++) {
                AccountRef[] pair = subject.pickPair(random);
                assertThat(pair[0]).isNotEqualTo(pair[1]);
                counts.merge(pair[0], 1, Integer::sum);
            }
            assertThat(counts.get(ACCOUNTS.get(0))).isGreaterThan(2 * counts.get(ACCOUNTS.get(3)));
        }
    }
}
