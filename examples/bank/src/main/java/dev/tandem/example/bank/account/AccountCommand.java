package dev.tandem.example.bank.account;

import java.util.UUID;

/** What can be asked of one account; transfer steps carry the transfer's id so repeats are recognised. */
public sealed interface AccountCommand {

    /** Opens the account in {@code currency}. */
    record Open(String currency) implements AccountCommand {}

    /** Adds money from outside the system. */
    record Deposit(Money amount) implements AccountCommand {}

    /** Closes an empty account with no transfer in progress. */
    record Close() implements AccountCommand {}

    /** TCC try on the paying side: hold {@code amount} of the available funds. */
    record Reserve(UUID transfer, Money amount) implements AccountCommand {}

    /** TCC confirm on the paying side: the held funds leave the account. */
    record Settle(UUID transfer) implements AccountCommand {}

    /** TCC cancel on the paying side: the held funds become available again. */
    record Release(UUID transfer) implements AccountCommand {}

    /** TCC try on the receiving side: announce an incoming {@code amount}. */
    record RegisterCredit(UUID transfer, Money amount) implements AccountCommand {}

    /** TCC confirm on the receiving side: the announced amount is added. */
    record ConfirmCredit(UUID transfer) implements AccountCommand {}

    /** TCC cancel on the receiving side: the announced amount will not come. */
    record CancelCredit(UUID transfer) implements AccountCommand {}

    /** Saga action on the paying side: take {@code amount} out now. */
    record Debit(UUID transfer, Money amount) implements AccountCommand {}

    /** Saga compensation of {@link Debit}: give the debited amount back. */
    record Refund(UUID transfer) implements AccountCommand {}

    /** Saga action on the receiving side: add {@code amount} now. */
    record Credit(UUID transfer, Money amount) implements AccountCommand {}

    /**
     * Saga: take back the credit of a transfer that is being compensated (its credit may have landed after the
     * coordinator gave up waiting for it); before the credit, records the barrier's null compensation instead.
     */
    record ReverseCredit(UUID transfer) implements AccountCommand {}
}
