package dev.tandem.example.bank.service;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.example.bank.account.AccountEvent;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.verify.Effect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads balances and transfer effects from the banks' stores, for the checker. */
public final class Ledger implements dev.tandem.example.bank.verify.BankReader {

    private final Map<String, AccountBook> banks;

    public Ledger(Map<String, AccountBook> banks) {
        this.banks = Map.copyOf(banks);
    }

    @Override
    public Map<AccountRef, Long> balances(List<AccountRef> accounts) {
        Map<AccountRef, Long> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            out.put(a, banks.get(a.bank()).read(a.account()).balance());
        }
        return out;
    }

    @Override
    public Map<AccountRef, List<Effect>> effects(List<AccountRef> accounts) {
        Map<AccountRef, List<Effect>> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            AccountBook book = banks.get(a.bank());
            List<Effect> effects = new ArrayList<>();
            long from = 1;
            List<RecordedEvent> page;
            while (!(page = book.history(a.account(), from, 1000)).isEmpty()) {
                for (RecordedEvent e : page) {
                    Effect effect = effect(AccountBook.decode(e));
                    if (effect != null) {
                        effects.add(effect);
                    }
                    from = e.version() + 1;
                }
            }
            out.put(a, effects);
        }
        return out;
    }

    static Effect effect(AccountEvent event) {
        return switch (event) {
            case AccountEvent.ReservationSettled e -> new Effect(e.transfer(), Effect.Kind.DEBIT, e.amount());
            case AccountEvent.Debited e -> new Effect(e.transfer(), Effect.Kind.DEBIT, e.amount());
            case AccountEvent.Refunded e -> new Effect(e.transfer(), Effect.Kind.REFUND, e.amount());
            case AccountEvent.CreditConfirmed e -> new Effect(e.transfer(), Effect.Kind.CREDIT, e.amount());
            case AccountEvent.Credited e -> new Effect(e.transfer(), Effect.Kind.CREDIT, e.amount());
            default -> null;
        };
    }
}
