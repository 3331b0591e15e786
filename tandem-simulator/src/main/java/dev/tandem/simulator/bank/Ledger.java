package dev.tandem.simulator.bank;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads and writes accounts as streams {@code account-<id>} of {@link LedgerEntry} events in one bank's store. */
public final class Ledger {

    private Ledger() {}

    public static StreamId stream(String account) {
        return StreamId.of("account", account);
    }

    /** Every entry of {@code account}, oldest first. */
    public static List<LedgerEntry> entries(EventStore store, String account) {
        List<LedgerEntry> out = new ArrayList<>();
        long from = 1;
        while (true) {
            List<RecordedEvent> batch = store.readStream(stream(account), from, ReadDirection.FORWARD, 512);
            for (RecordedEvent e : batch) {
                out.add(e.payloadAs(LedgerEntry.class));
            }
            if (batch.size() < 512) {
                return out;
            }
            from += batch.size();
        }
    }

    /** The current state of {@code account}, folded from its entries. */
    public static Account load(EventStore store, String account) {
        Account a = Account.NONE;
        for (LedgerEntry e : entries(store, account)) {
            a = a.apply(e.kind(), e.amount());
        }
        return a;
    }

    /** The write that records {@code kind} of {@code amount} on {@code account}, expecting it unchanged since {@code before}. */
    static StreamWrite write(String account, Account before, String transactionId, EntryKind kind, long amount, Metadata metadata) {
        Account after = before.apply(kind, amount);
        LedgerEntry entry = new LedgerEntry(transactionId, kind, amount, after.balance(), after.reserved(), after.incoming());
        UUID id = UUID.nameUUIDFromBytes(("bank/" + account + "/" + after.version()).getBytes(StandardCharsets.UTF_8));
        return new StreamWrite(stream(account), ExpectedVersion.exactly(before.version()),
                List.of(NewEvent.json(id, LedgerEntry.TYPE, entry).withMetadata(metadata)));
    }

    /** Opens {@code account} with {@code balance} unless it exists. */
    static void open(EventStore store, String account, long balance) {
        if (store.streamVersion(stream(account)) == 0) {
            StreamWrite w = write(account, Account.NONE, null, EntryKind.OPENED, balance, Metadata.EMPTY);
            store.append(w.stream(), ExpectedVersion.noStream(), w.events());
        }
    }
}
