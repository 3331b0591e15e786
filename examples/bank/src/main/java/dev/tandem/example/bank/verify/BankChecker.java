package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.verify.Violation.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a {@link RunHistory} against the bank's guarantees, in the spirit of Jepsen's bank test.
 *
 * <p>Pure: the same history always gives the same report. Evidence is capped per rule so a badly
 * broken run stays readable.
 */
public final class BankChecker {

    static final int MAX_EVIDENCE_PER_RULE = 5;

    private final List<Violation> violations = new ArrayList<>();
    private final Map<Rule, Integer> perRule = new HashMap<>();

    private BankChecker() {}

    public static CheckReport check(RunHistory history) {
        return new BankChecker().run(history);
    }

    private CheckReport run(RunHistory h) {
        long initialTotal = sum(h.initial());
        long finalTotal = sum(h.finals());
        checkReads(h, initialTotal);
        if (finalTotal != initialTotal) {
            add(Rule.TOTAL_CHANGED, "total before " + initialTotal + ", total after " + finalTotal + " (difference " + (finalTotal - initialTotal) + ")");
        }
        h.finals().forEach((account, balance) -> {
            if (balance < 0) {
                add(Rule.NEGATIVE_BALANCE, account + " ends at " + balance);
            }
        });
        int committed = 0;
        int compensated = 0;
        int resolved = 0;
        for (IssuedTransfer t : h.transfers()) {
            switch (t.outcome()) {
                case COMMITTED -> committed++;
                case COMPENSATED -> compensated++;
                case PENDING -> add(Rule.UNFINISHED, "transfer " + t.id() + " " + t.from() + " -> " + t.to() + " " + t.amount()
                        + " has no outcome" + (t.timedOut() ? " (its request timed out and queries found none)" : ""));
            }
            if (t.timedOut() && t.outcome().isTerminal()) {
                resolved++;
            }
        }
        Map<UUID, Map<AccountRef, Net>> nets = checkEffects(h);
        checkOutcomes(h, nets);
        checkTraces(h);
        return new CheckReport(h.transfers().size(), committed, compensated, resolved, initialTotal, finalTotal, violations);
    }

    private void checkReads(RunHistory h, long initialTotal) {
        for (BalanceRead read : h.reads()) {
            long inFlight = 0;
            for (IssuedTransfer t : h.transfers()) {
                if (t.invokedNanos() <= read.endNanos() && t.completedNanos() >= read.startNanos()) {
                    inFlight += t.amount();
                }
            }
            long off = Math.abs(read.total() - initialTotal);
            if (off > inFlight) {
                add(Rule.READ_INCONSISTENT, "a read totals " + read.total() + ", the initial total is " + initialTotal
                        + ", but only " + inFlight + " was in flight during the read");
            }
            read.balances().forEach((account, balance) -> {
                if (balance < 0) {
                    add(Rule.NEGATIVE_BALANCE, account + " read as " + balance + " during the run");
                }
            });
        }
    }

    /** Per transfer, per account: how often each kind of effect appears; flags repeats and balance mismatches. */
    private Map<UUID, Map<AccountRef, Net>> checkEffects(RunHistory h) {
        Map<UUID, Map<AccountRef, Net>> nets = new HashMap<>();
        h.effects().forEach((account, effects) -> {
            long balance = h.initial().getOrDefault(account, 0L);
            for (Effect e : effects) {
                Net n = nets.computeIfAbsent(e.transfer(), k -> new HashMap<>()).computeIfAbsent(account, k -> new Net());
                switch (e.kind()) {
                    case DEBIT -> { n.debits++; n.amount -= e.amount(); balance -= e.amount(); }
                    case REFUND -> { n.refunds++; n.amount += e.amount(); balance += e.amount(); }
                    case CREDIT -> { n.credits++; n.amount += e.amount(); balance += e.amount(); }
                    case CREDIT_REVERSAL -> { n.reversals++; n.amount -= e.amount(); balance -= e.amount(); }
                }
            }
            Long actual = h.finals().get(account);
            if (actual != null && actual != balance) {
                add(Rule.BALANCE_MISMATCH, account + " ends at " + actual + " but its initial balance and history add up to " + balance);
            }
        });
        nets.forEach((transfer, byAccount) -> byAccount.forEach((account, n) -> {
            if (n.debits > 1 || n.credits > 1 || n.refunds > 1 || n.refunds > n.debits || n.reversals > n.credits) {
                add(Rule.DUPLICATE_EFFECT, account + " has " + n.debits + " debits, " + n.refunds + " refunds and " + n.credits
                        + " credits (" + n.reversals + " reversed) for transfer " + transfer);
            }
        }));
        return nets;
    }

    private void checkOutcomes(RunHistory h, Map<UUID, Map<AccountRef, Net>> nets) {
        for (IssuedTransfer t : h.transfers()) {
            if (!t.outcome().isTerminal()) {
                continue;
            }
            Map<AccountRef, Net> byAccount = nets.getOrDefault(t.id(), Map.of());
            long out = byAccount.containsKey(t.from()) ? byAccount.get(t.from()).amount : 0;
            long in = byAccount.containsKey(t.to()) ? byAccount.get(t.to()).amount : 0;
            boolean ok = t.outcome() == TransferOutcome.COMMITTED ? out == -t.amount() && in == t.amount() : out == 0 && in == 0;
            if (!ok) {
                add(Rule.OUTCOME_MISMATCH, "transfer " + t.id() + " is " + t.outcome() + " for " + t.amount() + " but moved "
                        + (-out) + " out of " + t.from() + " and " + in + " into " + t.to());
            }
        }
    }

    /** Each effect of a transfer the client sent with a trace context carries that context. */
    private void checkTraces(RunHistory h) {
        Map<UUID, String> traces = new HashMap<>();
        for (IssuedTransfer t : h.transfers()) {
            if (t.traceparent() != null) {
                traces.put(t.id(), t.traceparent());
            }
        }
        h.effects().forEach((account, effects) -> {
            for (Effect e : effects) {
                String expected = traces.get(e.transfer());
                if (expected != null && !expected.equals(e.traceparent())) {
                    add(Rule.TRACE_LOST, account + "'s " + e.kind() + " of transfer " + e.transfer() + " carries trace " + e.traceparent()
                            + ", the client sent " + expected);
                }
            }
        });
    }

    private void add(Rule rule, String evidence) {
        int n = perRule.merge(rule, 1, Integer::sum);
        if (n <= MAX_EVIDENCE_PER_RULE) {
            violations.add(new Violation(rule, evidence));
        } else if (n == MAX_EVIDENCE_PER_RULE + 1) {
            violations.add(new Violation(rule, "(further " + rule + " violations not listed)"));
        }
    }

    private static long sum(Map<AccountRef, Long> balances) {
        long total = 0;
        for (long b : balances.values()) {
            total += b;
        }
        return total;
    }

    /** What one transfer did to one account. */
    private static final class Net {
        int debits;
        int refunds;
        int credits;
        int reversals;
        long amount;
    }
}
