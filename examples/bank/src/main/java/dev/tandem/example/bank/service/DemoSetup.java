package dev.tandem.example.bank.service;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Opens the demo's accounts: {@code perBank} accounts in each bank, each with the same opening balance. */
public final class DemoSetup {

    private DemoSetup() {}

    /** Opens the accounts (or finds them open from an earlier run) and returns them. */
    public static List<AccountRef> openAccounts(EmbeddedBanks banks, String prefix, int perBank, Money opening) throws Exception {
        List<AccountRef> accounts = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (String bank : List.of("A", "B")) {
            for (int i = 0; i < perBank; i++) {
                AccountRef ref = new AccountRef(bank, prefix + "-" + i);
                accounts.add(ref);
                AccountBook book = banks.bank(bank);
                pending.add(book.execute(ref.account(), new dev.tandem.example.bank.account.AccountCommand.Open(opening.currency()))
                        .thenCompose(r -> r.accepted()
                                ? book.execute(ref.account(), new dev.tandem.example.bank.account.AccountCommand.Deposit(opening))
                                : CompletableFuture.completedFuture(r)));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        return accounts;
    }
}
