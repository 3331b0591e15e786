package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.eventstore.support.CommittedStates;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How account events are stored (type name = record name, JSON payload, the transfer as transaction id); reads an
 * account stream into its state and writes decided events guarded by the version read.
 */
final class AccountStreams {

    private static final int PAGE = 1000;
    /** Beyond this many accounts per store the cache starts over (a memory bound, not a correctness matter). */
    private static final int MAX_CACHED = 100_000;

    /**
     * The last state known of each account, per store: read back from the store, or committed by this process (see
     * {@link CommittedStates}). Streams are append-only with gapless versions, so a read that continues from a known
     * state with the events after its version is exactly a full read, without re-folding a hot account's history, and
     * a bank never reads back the events it just wrote.
     */
    private static final Map<EventStore, CommittedStates<Account>> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());

    /** An account's state and the stream version it was read at. */
    record Loaded(Account account, long version) {}

    private AccountStreams() {}

    static StreamId stream(String accountId) {
        return StreamId.of("account", accountId);
    }

    private static CommittedStates<Account> known(EventStore store) {
        return KNOWN.computeIfAbsent(store, s -> new CommittedStates<>(MAX_CACHED));
    }

    /** The account as stored now (a read of whatever came after the last state known): for queries. */
    static Loaded load(EventStore store, String accountId) {
        CommittedStates.Versioned<Account> loaded = known(store).load(store, stream(accountId), Account.NONE, PAGE, AccountStreams::fold);
        return new Loaded(loaded.state(), loaded.version());
    }

    /**
     * The account to decide a {@link #write} on: the state this process last committed or read, without a read unless
     * a write of its own is in doubt ({@link CommittedStates#current}); the write expects its exact version.
     */
    static Loaded current(EventStore store, String accountId) {
        CommittedStates.Versioned<Account> loaded = known(store).current(store, stream(accountId), Account.NONE, PAGE, AccountStreams::fold);
        return new Loaded(loaded.state(), loaded.version());
    }

    /**
     * As {@link #current}, for the inbox's handlers: while a write of this process to the account is still in flight,
     * throws {@link dev.tandem.eventstore.support.WriteInFlightException} (the inbox runs the command again once it has
     * settled) instead of reading a state that write is about to change ({@link CommittedStates#currentOrWait}).
     */
    static Loaded currentOrWait(EventStore store, String accountId) {
        CommittedStates.Versioned<Account> loaded = known(store).currentOrWait(store, stream(accountId), Account.NONE, PAGE, AccountStreams::fold);
        return new Loaded(loaded.state(), loaded.version());
    }

    private static Account fold(Account account, RecordedEvent event) {
        return account.evolve(decode(event));
    }

    /**
     * The write of {@code events} after {@code loaded}; a concurrent change makes the commit conflict and re-run.
     * Once {@link #committed} hears of its commit, the account's next decision starts from these events without a read.
     *
     * @param cause the metadata of what caused them (a transfer's command: its trace and transaction), or
     *              {@link Metadata#EMPTY}; an event of a transfer names the transfer as its transaction either way
     */
    static StreamWrite write(EventStore store, String accountId, Loaded loaded, List<AccountEvent> events, Metadata cause) {
        List<NewEvent> encoded = new ArrayList<>(events.size());
        Account after = loaded.account();
        for (AccountEvent e : events) {
            Metadata metadata = e.transfer() == null || cause.transactionId() != null ? cause : cause.withTransactionId(e.transfer().toString());
            encoded.add(new NewEvent(NewEvent.newId(), e.typeName(), Json.encode(e), Json.CONTENT_TYPE, metadata, null));
            after = after.evolve(e);
        }
        known(store).expect(stream(accountId), encoded.getLast().id(), after, loaded.version() + events.size());
        return new StreamWrite(stream(accountId), ExpectedVersion.exactly(loaded.version()), encoded);
    }

    /** A commit to {@code store} is durable: the account states its writes were expected to reach are now known. */
    static void committed(EventStore store, Commit commit) {
        known(store).committed(commit);
    }

    /** A commit to {@code store} failed: the account states its writes were expected to reach will not be. */
    static void abandoned(EventStore store, Commit commit) {
        known(store).abandoned(commit);
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
