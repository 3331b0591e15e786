package dev.tandem.example.bank.tandem;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.example.bank.account.AccountEvent;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.verify.BankReader;
import dev.tandem.example.bank.verify.Effect;
import dev.tandem.messaging.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads balances and transfer effects straight from the banks' stores, for the checker. */
public final class TandemLedger implements BankReader {

    private final Map<String, EventStore> banks;

    TandemLedger(Map<String, EventStore> banks) {
        this.banks = Map.copyOf(banks);
    }

    @Override
    public Map<AccountRef, Long> balances(List<AccountRef> accounts) {
        Map<AccountRef, Long> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            out.put(a, AccountStreams.load(banks.get(a.bank()), a.account()).account().balance());
        }
        return out;
    }

    @Override
    public Map<AccountRef, List<Effect>> effects(List<AccountRef> accounts) {
        Map<AccountRef, List<Effect>> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            EventStore store = banks.get(a.bank());
            List<Effect> effects = new ArrayList<>();
            long from = 1;
            List<RecordedEvent> page;
            while (!(page = store.readStream(AccountStreams.stream(a.account()), from, ReadDirection.FORWARD, 1000)).isEmpty()) {
                for (RecordedEvent e : page) {
                    Effect effect = effect(AccountStreams.decode(e));
                    if (effect != null) {
                        effects.add(effect.tracedBy(e.metadata().headers().get(Message.TRACEPARENT)));
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
            case AccountEvent.CreditReversed e -> new Effect(e.transfer(), Effect.Kind.CREDIT_REVERSAL, e.amount());
            default -> null;
        };
    }
}
