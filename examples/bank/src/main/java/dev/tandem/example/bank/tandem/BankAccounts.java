package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.AccountDecider;
import dev.tandem.example.bank.account.AccountEvent;
import dev.tandem.example.bank.account.Decision;
import dev.tandem.example.bank.account.RefusedException;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.List;

/**
 * One bank's accounts as its API sees them: open, deposit, balance and history, each account an event stream in
 * the bank's store. Commands outside transfers are decided against the stream as read and appended with that exact
 * version; when a transfer's branch wrote the account in between, the command is decided again on the new state.
 */
public final class BankAccounts {

    private static final int MAX_CONFLICT_RETRIES = 20;

    private final String bank;
    private final EventStore store;

    public BankAccounts(String bank, EventStore store) {
        this.bank = AccountRef.requireName(bank, "bank");
        this.store = InvalidInputException.requireNonNull(store, "store");
    }

    public String bank() {
        return bank;
    }

    /**
     * Decides {@code command} on account {@code accountId} and waits until its events are durable.
     *
     * @return the account after the command
     * @throws RefusedException when the account's decider refuses the command (nothing is written)
     */
    public Account execute(String accountId, AccountCommand command) {
        AccountRef.requireName(accountId, "account");
        InvalidInputException.requireNonNull(command, "command");
        for (int attempt = 0; ; attempt++) {
            AccountStreams.Loaded loaded = AccountStreams.current(store, accountId);
            switch (AccountDecider.decide(loaded.account(), command)) {
                case Decision.Refused r -> throw new RefusedException(r.refusal());
                case Decision.Accepted a -> {
                    if (a.events().isEmpty()) {
                        return loaded.account();
                    }
                    try {
                        Commit commit = Commit.builder().append(AccountStreams.write(store, accountId, loaded, a.events(), Metadata.EMPTY)).build();
                        store.commit(commit);
                        AccountStreams.committed(store, commit);
                    } catch (StreamVersionConflict e) {
                        if (attempt >= MAX_CONFLICT_RETRIES) {
                            throw e;
                        }
                        continue;
                    }
                    Account after = loaded.account();
                    for (AccountEvent event : a.events()) {
                        after = after.evolve(event);
                    }
                    return after;
                }
            }
        }
    }

    /** The account's durable state ({@link Account#NONE} when it does not exist). */
    public Account read(String accountId) {
        AccountRef.requireName(accountId, "account");
        return AccountStreams.load(store, accountId).account();
    }

    /** Up to {@code limit} events of the account's stream from version {@code fromVersion}. */
    public List<RecordedEvent> history(String accountId, long fromVersion, int limit) {
        AccountRef.requireName(accountId, "account");
        return store.readStream(AccountStreams.stream(accountId), fromVersion, ReadDirection.FORWARD, limit);
    }

    /** Decodes a history event. */
    public static AccountEvent decode(RecordedEvent event) {
        return AccountStreams.decode(event);
    }
}
