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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How account events are stored (type name = record name, JSON payload, the transfer as transaction id); reads an
 * account stream into its state and writes decided events guarded by the version read.
 */
final class AccountStreams {

    private static final int PAGE = 1000;
    /** Beyond this many accounts per store the cache starts over (a memory bound, not a correctness matter). */
    private static final int MAX_CACHED = 100_000;

    /**
     * The last state read of each account, per store. Only states folded from events read back from the store go in,
     * and streams are append-only with gapless versions, so a later read that continues from a cached state with the
     * events after its version is exactly a full read, without re-folding a hot account's whole history.
     */
    private static final Map<EventStore, Map<String, Loaded>> READ = Collections.synchronizedMap(new WeakHashMap<>());

    /** An account's state and the stream version it was read at. */
    record Loaded(Account account, long version) {}

    private AccountStreams() {}

    static StreamId stream(String accountId) {
        return StreamId.of("account", accountId);
    }

    static Loaded load(EventStore store, String accountId) {
        Map<String, Loaded> known = READ.computeIfAbsent(store, s -> new ConcurrentHashMap<>());
        Loaded from = known.getOrDefault(accountId, new Loaded(Account.NONE, 0));
        Account state = from.account();
        long version = from.version();
        while (true) {
            List<RecordedEvent> page = store.readStream(stream(accountId), version + 1, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent e : page) {
                state = state.evolve(decode(e));
                version = e.version();
            }
            if (page.size() < PAGE) {
                Loaded loaded = new Loaded(state, version);
                if (known.size() >= MAX_CACHED) {
                    known.clear();
                }
                known.merge(accountId, loaded, (old, now) -> now.version() >= old.version() ? now : old);
                return loaded;
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
