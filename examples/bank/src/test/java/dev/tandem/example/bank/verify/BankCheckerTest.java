package dev.tandem.example.bank.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.verify.Effect.Kind;
import dev.tandem.example.bank.verify.Violation.Rule;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BankCheckerTest {

    static final AccountRef A = new AccountRef("A", "alice");
    static final AccountRef B = new AccountRef("B", "bob");
    static final UUID T1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final UUID T2 = UUID.fromString("00000000-0000-0000-0000-000000000002");
    static final Map<AccountRef, Long> INITIAL = Map.of(A, 100L, B, 100L);

    static IssuedTransfer transfer(UUID id, long amount, TransferOutcome outcome) {
        return new IssuedTransfer(id, A, B, amount, 10, 20, outcome, false);
    }

    /** A correct run: T1 (30) committed, T2 (500) compensated because A lacked funds. */
    static RunHistory correct() {
        return new RunHistory(INITIAL,
                List.of(transfer(T1, 30, TransferOutcome.COMMITTED), transfer(T2, 500, TransferOutcome.COMPENSATED)),
                List.of(new BalanceRead(15, 16, Map.of(A, 70L, B, 100L))),
                Map.of(A, 70L, B, 130L),
                Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30)), B, List.of(new Effect(T1, Kind.CREDIT, 30))));
    }

    @Nested
    class A_correct_run {
        @Test
        void passesWithCountsAndTotals() {
            CheckReport subject = BankChecker.check(correct());
            assertThat(subject.violations()).isEmpty();
            assertThat(subject.ok()).isTrue();
            assertThat(subject.issued()).isEqualTo(2);
            assertThat(subject.committed()).isEqualTo(1);
            assertThat(subject.compensated()).isEqualTo(1);
            assertThat(subject.initialTotal()).isEqualTo(200).isEqualTo(subject.finalTotal());
        }

        @Test
        void acceptsASagaThatDebitedAndRefunded() {
            RunHistory h = new RunHistory(INITIAL, List.of(transfer(T1, 30, TransferOutcome.COMPENSATED)), List.of(),
                    INITIAL, Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30), new Effect(T1, Kind.REFUND, 30))));
            assertThat(BankChecker.check(h).violations()).isEmpty();
        }

        @Test
        void countsATimedOutRequestResolvedByAQueryAsResolvedNotFailed() {
            RunHistory c = correct();
            IssuedTransfer unknown = new IssuedTransfer(T1, A, B, 30, 10, Long.MAX_VALUE, TransferOutcome.COMMITTED, true);
            RunHistory h = new RunHistory(c.initial(), List.of(unknown, c.transfers().get(1)), List.of(), c.finals(), c.effects());
            CheckReport subject = BankChecker.check(h);
            assertThat(subject.violations()).isEmpty();
            assertThat(subject.resolvedUnknowns()).isEqualTo(1);
            assertThat(subject.committed()).isEqualTo(1);
        }
    }

    @Nested
    class Each_broken_rule_is_reported {
        @Test
        void aReadThatLostMoreThanWasInFlight() {
            RunHistory c = correct();
            RunHistory h = new RunHistory(c.initial(), c.transfers(), List.of(new BalanceRead(25, 26, Map.of(A, 70L, B, 100L))),
                    c.finals(), c.effects());
            assertThat(BankChecker.check(h).violations()).extracting(Violation::rule).containsExactly(Rule.READ_INCONSISTENT);
        }

        @Test
        void aTotalThatChangedAtQuiescence() {
            RunHistory c = correct();
            RunHistory h = new RunHistory(c.initial(), c.transfers(), c.reads(), Map.of(A, 70L, B, 131L),
                    Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30)), B, List.of(new Effect(T1, Kind.CREDIT, 30), new Effect(T2, Kind.CREDIT, 1))));
            CheckReport subject = BankChecker.check(h);
            assertThat(subject.has(Rule.TOTAL_CHANGED)).isTrue();
            assertThat(subject.violations()).anySatisfy(v -> assertThat(v.evidence()).contains("total before 200, total after 201"));
        }

        @Test
        void aNegativeBalanceInAReadOrAtTheEnd() {
            RunHistory h = new RunHistory(Map.of(A, 0L, B, 0L), List.of(), List.of(new BalanceRead(1, 2, Map.of(A, -5L, B, 5L))),
                    Map.of(A, -1L, B, 1L), Map.of());
            CheckReport subject = BankChecker.check(h);
            assertThat(subject.violations()).filteredOn(v -> v.rule() == Rule.NEGATIVE_BALANCE).hasSize(2);
        }

        @Test
        void aTransferThatNeverFinished() {
            RunHistory h = new RunHistory(INITIAL, List.of(new IssuedTransfer(T1, A, B, 30, 1, Long.MAX_VALUE, TransferOutcome.PENDING, true)),
                    List.of(), INITIAL, Map.of());
            CheckReport subject = BankChecker.check(h);
            assertThat(subject.violations()).extracting(Violation::rule).containsExactly(Rule.UNFINISHED);
            assertThat(subject.violations().getFirst().evidence()).contains(T1.toString()).contains("timed out");
        }

        @Test
        void twoDebitsForOneTransfer() {
            RunHistory h = new RunHistory(INITIAL, List.of(transfer(T1, 30, TransferOutcome.COMMITTED)), List.of(),
                    Map.of(A, 40L, B, 130L),
                    Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30), new Effect(T1, Kind.DEBIT, 30)), B, List.of(new Effect(T1, Kind.CREDIT, 30))));
            CheckReport subject = BankChecker.check(h);
            assertThat(subject.has(Rule.DUPLICATE_EFFECT)).isTrue();
            assertThat(subject.has(Rule.OUTCOME_MISMATCH)).isTrue();
        }

        @Test
        void aCompensatedTransferThatMovedMoney() {
            RunHistory h = new RunHistory(INITIAL, List.of(transfer(T1, 30, TransferOutcome.COMPENSATED)), List.of(),
                    Map.of(A, 70L, B, 130L),
                    Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30)), B, List.of(new Effect(T1, Kind.CREDIT, 30))));
            assertThat(BankChecker.check(h).violations()).extracting(Violation::rule).containsExactly(Rule.OUTCOME_MISMATCH);
        }

        @Test
        void anEffectWithoutTheTraceTheClientSent() {
            String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            IssuedTransfer traced = new IssuedTransfer(T1, A, B, 30, 10, 20, TransferOutcome.COMMITTED, false, trace);
            RunHistory kept = new RunHistory(INITIAL, List.of(traced), List.of(), Map.of(A, 70L, B, 130L),
                    Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30, trace)), B, List.of(new Effect(T1, Kind.CREDIT, 30, trace))));
            RunHistory lost = new RunHistory(INITIAL, List.of(traced), List.of(), Map.of(A, 70L, B, 130L),
                    Map.of(A, List.of(new Effect(T1, Kind.DEBIT, 30, trace)), B, List.of(new Effect(T1, Kind.CREDIT, 30))));

            assertThat(BankChecker.check(kept).violations()).isEmpty();
            CheckReport subject = BankChecker.check(lost);
            assertThat(subject.violations()).extracting(Violation::rule).containsExactly(Rule.TRACE_LOST);
            assertThat(subject.violations().getFirst().evidence()).contains("B/bob").contains("CREDIT").contains(trace);
        }

        @Test
        void aFinalBalanceThatItsHistoryDoesNotExplain() {
            RunHistory c = correct();
            RunHistory h = new RunHistory(c.initial(), c.transfers(), c.reads(), Map.of(A, 60L, B, 140L), c.effects());
            assertThat(BankChecker.check(h).violations()).extracting(Violation::rule)
                    .containsExactly(Rule.BALANCE_MISMATCH, Rule.BALANCE_MISMATCH);
        }

        @Test
        void listsAtMostAFewViolationsPerRule() {
            List<IssuedTransfer> many = java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> new IssuedTransfer(new UUID(0, i), A, B, 1, 1, Long.MAX_VALUE, TransferOutcome.PENDING, false)).toList();
            RunHistory h = new RunHistory(INITIAL, many, List.of(), INITIAL, Map.of());
            assertThat(BankChecker.check(h).violations()).hasSize(BankChecker.MAX_EVIDENCE_PER_RULE + 1);
        }
    }
}
