package dev.tandem.simulator.bank;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.engine.TransactionView;
import dev.tandem.simulator.InvariantViolation;
import dev.tandem.simulator.PlannedTransaction;
import dev.tandem.simulator.SimulationOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Audits both banks' ledgers against the coordinator's outcome of every transfer; the first breach throws. */
final class BankInvariants {

    /** A ledger entry with the account it was booked on. */
    private record Booking(String account, LedgerEntry entry) {}

    private final SimulationOutcome outcome;
    private final Map<String, List<Booking>> byTransaction = new TreeMap<>();
    private long total;

    BankInvariants(SimulationOutcome outcome) {
        this.outcome = outcome;
    }

    void check() {
        long opening = audit(BankScenario.BANK_A, BankScenario.OPENING_A) + audit(BankScenario.BANK_B, BankScenario.OPENING_B);
        long expected = BankScenario.OPENING_A.values().stream().mapToLong(Long::longValue).sum()
                + BankScenario.OPENING_B.values().stream().mapToLong(Long::longValue).sum();
        if (opening != expected) {
            throw InvariantViolation.of("accounts opened with " + opening + " in total, expected " + expected);
        }
        if (total != expected) {
            throw InvariantViolation.of("money not conserved: the banks hold " + total + " in total at the end, but " + expected + " went in");
        }
        for (PlannedTransaction p : outcome.planned()) {
            checkTransfer(outcome.transaction(p.transactionId()), Transfer.fromJson(p.input()));
        }
    }

    /** Replays every account of {@code bank}, checking each step; returns the money opened with. */
    private long audit(String bank, Map<String, Long> accounts) {
        long opened = 0;
        for (String account : accounts.keySet()) {
            Account state = Account.NONE;
            for (LedgerEntry e : Ledger.entries(outcome.store(bank), account)) {
                state = state.apply(e.kind(), e.amount());
                if (state.balance() != e.balance() || state.reserved() != e.reserved() || state.incoming() != e.incoming()) {
                    throw InvariantViolation.of(bank + "/" + account + ": entry " + e + " disagrees with the replayed state " + state);
                }
                if (state.anyNegative()) {
                    throw InvariantViolation.of(bank + "/" + account + " went negative with " + e + ": " + state);
                }
                if (e.kind() == EntryKind.OPENED) {
                    opened += e.amount();
                } else {
                    byTransaction.computeIfAbsent(e.transactionId(), k -> new ArrayList<>()).add(new Booking(bank + "/" + account, e));
                }
            }
            if (state.reserved() != 0 || state.incoming() != 0) {
                throw InvariantViolation.of(bank + "/" + account + " still has reserved " + state.reserved() + " and incoming "
                        + state.incoming() + " although every transfer is settled");
            }
            total += state.balance();
        }
        return opened;
    }

    private void checkTransfer(TransactionView t, Transfer transfer) {
        List<Booking> bookings = byTransaction.getOrDefault(t.id(), List.of());
        Map<EntryKind, Integer> seen = new EnumMap<>(EntryKind.class);
        for (Booking b : bookings) {
            EntryKind kind = b.entry().kind();
            if (seen.merge(kind, 1, Integer::sum) > 1) {
                throw InvariantViolation.of(t.id() + " booked " + kind + " more than once (effect applied twice): " + bookings);
            }
            EntryKind action = actionOf(kind);
            if (action != null && !seen.containsKey(action)) {
                throw InvariantViolation.of(t.id() + " booked " + kind + " without a prior " + action + " (compensation or confirm without its action): " + bookings);
            }
        }
        if (seen.containsKey(EntryKind.SETTLED) && seen.containsKey(EntryKind.RELEASED)
                || seen.containsKey(EntryKind.PENDING_APPLIED) && seen.containsKey(EntryKind.PENDING_DROPPED)) {
            throw InvariantViolation.of(t.id() + " was both confirmed and cancelled at one bank: " + bookings);
        }
        long netA = 0;
        long netB = 0;
        for (Booking b : bookings) {
            long delta = switch (b.entry().kind()) {
                case DEBITED, SETTLED, REVERSED -> -b.entry().amount();
                case REFUNDED, CREDITED, PENDING_APPLIED -> b.entry().amount();
                default -> 0;
            };
            if (b.account().startsWith(BankScenario.BANK_A)) {
                netA += delta;
            } else {
                netB += delta;
            }
        }
        long wantA = t.status() == Status.COMMITTED ? -transfer.amount() : 0;
        long wantB = t.status() == Status.COMMITTED ? transfer.amount() : 0;
        if (t.status().isFinal() && (netA != wantA || netB != wantB)) {
            throw InvariantViolation.of(t.id() + " is " + t.status() + " but moved " + netA + " at A and " + netB + " at B (expected "
                    + wantA + " and " + wantB + "): " + bookings);
        }
    }

    /** The action an entry depends on: a compensation or confirm needs its action first; null for actions. */
    private static EntryKind actionOf(EntryKind kind) {
        return switch (kind) {
            case REFUNDED -> EntryKind.DEBITED;
            case REVERSED -> EntryKind.CREDITED;
            case SETTLED, RELEASED -> EntryKind.RESERVED;
            case PENDING_APPLIED, PENDING_DROPPED -> EntryKind.CREDIT_PENDING;
            case OPENED, DEBITED, CREDITED, RESERVED, CREDIT_PENDING -> null;
        };
    }
}
