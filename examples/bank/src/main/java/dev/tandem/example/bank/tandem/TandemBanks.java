package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import dev.tandem.example.bank.verify.TransferClient;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.saga.engine.Coordinator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Bank A, bank B and the coordinator in one JVM, on Tandem itself: a SQLite store per service in a data
 * directory, one in-process transport, a {@link BankService} per bank and the {@link CoordinatorService} — the
 * same services that run as separate processes, wired together in process.
 *
 * <p>A transfer is a transaction whose id is derived from the idempotency key; {@link #start} returns at once
 * and completes when the transaction is final, so many transfers are in flight together.
 */
public final class TandemBanks implements TransferClient, AutoCloseable {

    public static final String COORDINATOR = CoordinatorService.NAME;

    private final Map<String, BankService> banks = new LinkedHashMap<>();
    private final Map<String, EventStore> bankStores = new LinkedHashMap<>();
    private final List<EventStore> stores = new ArrayList<>();
    private final InProcessTransport transport = new InProcessTransport();
    private CoordinatorService coordinator;

    private TandemBanks(Path dataDir, List<String> bankNames, InstantSource clock) {
        try {
            EventStore coordinatorStore = open(dataDir, COORDINATOR);
            for (String bank : bankNames) {
                EventStore store = open(dataDir, "bank-" + bank);
                bankStores.put(bank, store);
                banks.put(bank, BankService.start(bank, store, transport));
            }
            coordinator = CoordinatorService.start(coordinatorStore, transport, bankNames, clock);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Banks A and B and the coordinator on SQLite files in {@code dataDir}; resumes unfinished transfers. */
    public static TandemBanks open(Path dataDir) {
        InvalidInputException.requireNonNull(dataDir, "dataDir");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw InvalidInputException.of("dataDir", "cannot be created: " + e.getMessage());
        }
        return new TandemBanks(dataDir, List.of("A", "B"), InstantSource.system());
    }

    private EventStore open(Path dir, String name) {
        EventStore store = SqliteEventStore.open(dir.resolve(name + ".db"), StoreOptions.defaults());
        stores.add(store);
        return store;
    }

    /** The banks by name. */
    public List<String> bankNames() {
        return List.copyOf(banks.keySet());
    }

    public Coordinator coordinator() {
        return coordinator.coordinator();
    }

    /** Opens {@code account} with {@code initial} deposited; waits until durable. */
    public void openAccount(AccountRef account, Money initial) {
        BankAccounts accounts = accounts(account);
        accounts.execute(account.account(), new AccountCommand.Open(initial.currency()));
        if (initial.minor() > 0) {
            accounts.execute(account.account(), new AccountCommand.Deposit(initial));
        }
    }

    /** Opens {@code perBank} accounts named {@code prefix-i} in each bank with {@code opening} (or finds them open). */
    public List<AccountRef> openAccounts(String prefix, int perBank, Money opening) {
        List<AccountRef> accounts = new ArrayList<>();
        for (String bank : banks.keySet()) {
            for (int i = 0; i < perBank; i++) {
                AccountRef ref = new AccountRef(bank, prefix + "-" + i);
                accounts.add(ref);
                if (account(ref).status() == Account.Status.NONE) {
                    openAccount(ref, opening);
                }
            }
        }
        return accounts;
    }

    /** Deposits {@code amount} into {@code account}; waits until durable. */
    public void deposit(AccountRef account, Money amount) {
        accounts(account).execute(account.account(), new AccountCommand.Deposit(amount));
    }

    /** The durable state of {@code account} ({@link Account#NONE} when it does not exist). */
    public Account account(AccountRef account) {
        return accounts(account).read(account.account());
    }

    /** A reader of balances and transfer effects for the checker. */
    public TandemLedger ledger() {
        return new TandemLedger(Map.copyOf(bankStores));
    }

    private BankAccounts accounts(AccountRef account) {
        InvalidInputException.requireNonNull(account, "account");
        BankService bank = banks.get(account.bank());
        if (bank == null) {
            throw InvalidInputException.of("account.bank", "no bank named " + account.bank() + "; known: " + banks.keySet());
        }
        return bank.accounts();
    }

    /** Starts {@code request} as a transaction; the future completes with its outcome once it is final. */
    public CompletableFuture<TransferOutcome> start(TransferRequest request) {
        return coordinator.start(request).thenApply(TransferResult::outcome);
    }

    @Override
    public TransferOutcome transfer(TransferRequest request, TraceContext trace, Duration timeout) throws Exception {
        return coordinator.transfer(request, trace, timeout);
    }

    @Override
    public TransferOutcome query(UUID id) {
        return coordinator.query(id);
    }

    /** Failures the timer driver reported (for tests and diagnostics). */
    public List<Throwable> timerErrors() {
        return coordinator.timerErrors();
    }

    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.close();
        }
        banks.values().forEach(BankService::close);
        transport.close();
        RuntimeException first = null;
        for (EventStore store : stores) {
            try {
                store.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
