package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How account events are stored (type name = record name, JSON payload, the transfer as transaction id); reads an
 * account stream into its state and writes decided events guarded by the version read.
 */
final class AccountStreams {

    private static final int PAGE = 1000;

    /** An account's state and the stream version it was read at. */
    record Loaded(Account account, long version) {}

    private AccountStreams() {}

    static StreamId stream(String accountId) {
        return StreamId.of("account", accountId);
    }

    static Loaded load(EventStore store, String accountId) {
        Account state = Account.NONE;
        long version = 0;
        while (true) {
            List<RecordedEvent> page = store.readStream(stream(accountId), version + 1, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent e : page) {
                state = state.evolve(decode(e));
                version = e.version();
            }
            if (page.size() < PAGE) {
                return new Loaded(state, version);
            }
        }
    }

    /** The write of {@code events} after {@code loaded}; a concurrent change makes the commit conflict and re-run. */
    static StreamWrite write(String accountId, Loaded loaded, List<AccountEvent> events) {
        List<NewEvent> encoded = new ArrayList<>(events.size());
        for (AccountEvent e : events) {
            Metadata metadata = e.transfer() == null ? Metadata.EMPTY : new Metadata(null, null, e.transfer().toString(), Map.of());
            encoded.add(new NewEvent(NewEvent.newId(), e.typeName(), Json.encode(e), Json.CONTENT_TYPE, metadata, null));
        }
        return new StreamWrite(stream(accountId), ExpectedVersion.exactly(loaded.version()), encoded);
    }

    /** Decodes a stored account event. */
    static AccountEvent decode(RecordedEvent event) {
        Class<? extends AccountEvent> type = AccountEvent.typeOf(event.type());
        if (type == null) {
            throw InvalidInputException.of("event.type", "unknown account event type '" + event.type() + "' at " + event);
        }
        return event.payloadAs(type);
    }
}
