package dev.tandem.example.bank.service;

import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.Refusal;

/** A bank's answer to a command on one account, once whatever it decided is durable. */
public sealed interface Reply {

    /** Accepted; {@code account} is the state after the command. */
    record Done(Account account) implements Reply {}

    /** Refused; nothing was written. */
    record Refused(Refusal refusal) implements Reply {}

    default boolean accepted() {
        return this instanceof Done;
    }
}
