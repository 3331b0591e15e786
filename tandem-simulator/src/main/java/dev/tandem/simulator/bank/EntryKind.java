package dev.tandem.simulator.bank;

/** What one ledger entry did to an account. */
public enum EntryKind {
    OPENED,
    /** Saga action at A: money leaves the balance. */
    DEBITED,
    /** Saga compensation at A: the debit is paid back. */
    REFUNDED,
    /** Saga action at B: money arrives. */
    CREDITED,
    /** Saga compensation at B: the credit is taken back. */
    REVERSED,
    /** TCC try at A: money is set aside (still in the balance, no longer available). */
    RESERVED,
    /** TCC confirm at A: the reserved money leaves. */
    SETTLED,
    /** TCC cancel at A: the reservation is lifted. */
    RELEASED,
    /** TCC try at B: a credit is registered but not yet part of the balance. */
    CREDIT_PENDING,
    /** TCC confirm at B: the pending credit joins the balance. */
    PENDING_APPLIED,
    /** TCC cancel at B: the pending credit is dropped. */
    PENDING_DROPPED
}
