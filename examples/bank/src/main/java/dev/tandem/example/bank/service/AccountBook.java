package dev.tandem.example.bank.service;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.AccountDecider;
import dev.tandem.example.bank.account.AccountEvent;
import dev.tandem.example.bank.account.Decision;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bank's accounts: each an event stream in the bank's own store, decided by {@link AccountDecider}.
 *
 * <p>Commands on one account are decided one at a time against a cached state and their events
 * queued with the exact expected version, so many accounts are pipelined into one group commit.
 * A reply completes when its events are durable. A failed commit drops the cached state, which is
 * reloaded from the store on next use; the caller sees the failure and may retry.
 */
public final class AccountBook {

    private static final int PAGE = 1000;

    private final String bank;
    private final EventStore store;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    public AccountBook(String bank, EventStore store) {
        this.bank = AccountRef.requireName(bank, "bank");
        this.store = store;
    }

    public String bank() {
        return bank;
    }

    /** Decides {@code command} on account {@code accountId}; the reply completes once its events are durable. */
    public CompletableFuture<Reply> execute(String accountId, AccountCommand command) {
        AccountRef.requireName(accountId, "account");
        Slot slot = slots.computeIfAbsent(accountId, k -> new Slot());
        Account after;
        CompletableFuture<CommitResult> commit;
        long version;
        synchronized (slot) {
            if (!slot.loaded) {
                load(accountId, slot);
            }
            Decision decision = AccountDecider.decide(slot.pending, command);
            if (decision instanceof Decision.Refused r) {
                return CompletableFuture.completedFuture(new Reply.Refused(r.refusal()));
            }
            List<AccountEvent> events = ((Decision.Accepted) decision).events();
            after = slot.pending;
            if (events.isEmpty()) {
                // A repeat: answer once whatever it repeats is durable.
                Account current = after;
                return slot.lastCommit.thenApply(r -> new Reply.Done(current));
            }
            List<NewEvent> encoded = new ArrayList<>(events.size());
            for (AccountEvent e : events) {
                after = after.evolve(e);
                encoded.add(AccountCodec.encode(e));
            }
            long expected = slot.pendingVersion;
            version = expected + events.size();
            commit = store.commitAsync(Commit.of(AccountCodec.stream(accountId), ExpectedVersion.exactly(expected), encoded));
            slot.pending = after;
            slot.pendingVersion = version;
            slot.lastCommit = commit;
        }
        Account result = after;
        return commit.handle((r, failure) -> {
            synchronized (slot) {
                if (failure != null) {
                    slot.loaded = false;
                } else if (version > slot.durableVersion) {
                    slot.durable = result;
                    slot.durableVersion = version;
                }
            }
            return failure;
        }).thenCompose(failure -> failure == null
                ? CompletableFuture.completedFuture((Reply) new Reply.Done(result))
                : CompletableFuture.failedFuture(failure));
    }

    /** The account's durable state ({@link Account#NONE} when it does not exist). */
    public Account read(String accountId) {
        AccountRef.requireName(accountId, "account");
        Slot slot = slots.computeIfAbsent(accountId, k -> new Slot());
        synchronized (slot) {
            if (!slot.loaded) {
                load(accountId, slot);
            }
            return slot.durable;
        }
    }

    /** Up to {@code limit} events of the account's stream from version {@code fromVersion}. */
    public List<RecordedEvent> history(String accountId, long fromVersion, int limit) {
        AccountRef.requireName(accountId, "account");
        return store.readStream(AccountCodec.stream(accountId), fromVersion, ReadDirection.FORWARD, limit);
    }

    /** Decodes a history event. */
    public static AccountEvent decode(RecordedEvent event) {
        return AccountCodec.decode(event);
    }

    private void load(String accountId, Slot slot) {
        Account state = Account.NONE;
        long version = 0;
        while (true) {
            List<RecordedEvent> page = store.readStream(AccountCodec.stream(accountId), version + 1, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent e : page) {
                state = state.evolve(AccountCodec.decode(e));
                version = e.version();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        slot.pending = state;
        slot.durable = state;
        slot.pendingVersion = version;
        slot.durableVersion = version;
        slot.lastCommit = CompletableFuture.completedFuture(null);
        slot.loaded = true;
    }

    /** The cached state of one account; guarded by its own monitor. */
    private static final class Slot {
        boolean loaded;
        Account pending = Account.NONE;
        long pendingVersion;
        Account durable = Account.NONE;
        long durableVersion;
        CompletableFuture<CommitResult> lastCommit = CompletableFuture.completedFuture(null);
    }
}
