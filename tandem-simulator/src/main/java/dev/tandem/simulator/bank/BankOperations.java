package dev.tandem.simulator.bank;

import java.util.Map;

/**
 * The business rules of the two banks, pure: which ledger entry an operation makes, or why it is refused.
 *
 * <p>Bank A: {@code debit}/{@code refund} (saga), {@code reserve}/{@code settle}/{@code release} (TCC).
 * Bank B: {@code credit}/{@code reverse} (saga), {@code pend}/{@code apply}/{@code drop} (TCC).
 */
public final class BankOperations {

    /** What an operation does: which account it touches and with what entry; null {@code kind} means refused. */
    public record Effect(String account, EntryKind kind, String refusal) {}

    private static final Map<String, EntryKind> KINDS = Map.ofEntries(
            Map.entry("debit", EntryKind.DEBITED), Map.entry("refund", EntryKind.REFUNDED),
            Map.entry("reserve", EntryKind.RESERVED), Map.entry("settle", EntryKind.SETTLED),
            Map.entry("release", EntryKind.RELEASED), Map.entry("credit", EntryKind.CREDITED),
            Map.entry("reverse", EntryKind.REVERSED), Map.entry("pend", EntryKind.CREDIT_PENDING),
            Map.entry("apply", EntryKind.PENDING_APPLIED), Map.entry("drop", EntryKind.PENDING_DROPPED));

    private BankOperations() {}

    /** The account {@code operation} of {@code transfer} touches at its bank. */
    public static String account(String operation, Transfer transfer) {
        return switch (kind(operation)) {
            case DEBITED, REFUNDED, RESERVED, SETTLED, RELEASED -> transfer.from();
            default -> transfer.to();
        };
    }

    /** The effect of {@code operation} on {@code account} (its current state). */
    public static Effect decide(String operation, Transfer transfer, Account account) {
        EntryKind kind = kind(operation);
        String name = account(operation, transfer);
        if ((kind == EntryKind.DEBITED || kind == EntryKind.RESERVED) && account.available() < transfer.amount()) {
            return new Effect(name, null, "insufficient funds: " + name + " has " + account.available() + " available, needs " + transfer.amount());
        }
        return new Effect(name, kind, null);
    }

    static EntryKind kind(String operation) {
        EntryKind kind = KINDS.get(operation);
        if (kind == null) {
            throw new IllegalArgumentException("unknown bank operation " + operation + " (known: " + KINDS.keySet() + ")");
        }
        return kind;
    }
}
