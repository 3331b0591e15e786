package dev.tandem.example.bank.service;

import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** How the coordinator reaches the banks taking part in a transfer. */
@FunctionalInterface
public interface Participants {

    /** Sends {@code command} for {@code account} to its bank; completes with the bank's durable reply. */
    CompletableFuture<Reply> send(AccountRef account, AccountCommand command);

    /** Banks in this JVM, called directly. */
    static Participants inProcess(Map<String, AccountBook> banks) {
        Map<String, AccountBook> copy = Map.copyOf(banks);
        return (account, command) -> {
            AccountBook book = copy.get(account.bank());
            if (book == null) {
                return CompletableFuture.completedFuture(new Reply.Refused(
                        Refusal.of(Refusal.Reason.UNKNOWN_ACCOUNT, "no bank named " + account.bank() + "; known: " + copy.keySet())));
            }
            return book.execute(account.account(), command);
        };
    }
}
