package dev.tandem.example.bank.verify;

/**
 * A broken guarantee and the evidence for it.
 *
 * @param rule which guarantee
 * @param evidence what was seen: accounts, transfers, amounts
 */
public record Violation(Rule rule, String evidence) {

    /** The guarantees the checker verifies. */
    public enum Rule {
        /** A balance read during the run is off by more than the money in flight at the time. */
        READ_INCONSISTENT,
        /** At quiescence the total differs from the initial total. */
        TOTAL_CHANGED,
        /** A balance was negative, in a read or at the end. */
        NEGATIVE_BALANCE,
        /** A transfer issued never reached COMMITTED or COMPENSATED. */
        UNFINISHED,
        /** An account's history shows more than one effective debit (or credit) for one transfer. */
        DUPLICATE_EFFECT,
        /** A transfer's effects disagree with its outcome (a committed one that moved nothing, a compensated one that moved money). */
        OUTCOME_MISMATCH,
        /** An account's final balance is not its initial balance plus its recorded effects. */
        BALANCE_MISMATCH,
        /** An effect of a transfer does not carry the trace context the client started the transfer with. */
        TRACE_LOST
    }

    @Override
    public String toString() {
        return rule + ": " + evidence;
    }
}
