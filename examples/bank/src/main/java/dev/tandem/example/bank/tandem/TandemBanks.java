package dev.tandem.example.bank.tandem;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.AccountDecider;
import dev.tandem.example.bank.account.Decision;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.verify.TransferClient;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.Ownership;
import dev.tandem.saga.engine.TimerDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bank A, bank B and the coordinator in one JVM, on Tandem itself: a SQLite store per service in a data
 * directory, one in-process transport, a messaging node per service (outbox relay + inbox consumer), the
 * saga engine's {@link Coordinator} with its timer driver, and a {@link BankParticipant} per bank.
 *
 * <p>A transfer is a transaction whose id is derived from the idempotency key; {@link #start} returns at once
 * and completes when the transaction is final, so many transfers are in flight together.
 */
public final class TandemBanks implements TransferClient, AutoCloseable {

    public static final String COORDINATOR = "coordinator";

    private final Map<String, EventStore> banks = new LinkedHashMap<>();
    private final List<EventStore> stores = new ArrayList<>();
    private final List<ServiceNode> nodes = new ArrayList<>();
    private final List<Throwable> timerErrors = new CopyOnWriteArrayList<>();
    private final InProcessTransport transport = new InProcessTransport();
    private final Coordinator coordinator;
    private final TimerDriver timers;
    private final TransferWatch watch;

    private TandemBanks(Path dataDir, List<String> bankNames, InstantSource clock) {
        try {
            EventStore coordinatorStore = open(dataDir, COORDINATOR);
            for (String bank : bankNames) {
                banks.put(bank, open(dataDir, "bank-" + bank));
            }
            coordinator = new Coordinator(COORDINATOR, coordinatorStore, TransferDefinitions.registry(bankNames), clock,
                    new SplittableRandom(), Ownership.all());
            coordinator.recover();
            banks.forEach((bank, store) -> nodes.add(ServiceNode.builder(store, TransferDefinitions.participant(bank), transport)
                    .handle(TransferDefinitions.participant(bank), BankParticipant.create(bank, store)).start()));
            nodes.add(ServiceNode.builder(coordinatorStore, COORDINATOR, transport).handle(COORDINATOR, coordinator.replyHandler()).start());
            timers = new TimerDriver(coordinator, clock, Duration.ofMillis(50), timerErrors::add).start();
            watch = new TransferWatch(coordinator).start();
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
        return coordinator;
    }

    /** Opens {@code account} with {@code initial} deposited; waits until durable. */
    public void openAccount(AccountRef account, Money initial) {
        execute(account, new AccountCommand.Open(initial.currency()));
        if (initial.minor() > 0) {
            execute(account, new AccountCommand.Deposit(initial));
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
        execute(account, new AccountCommand.Deposit(amount));
    }

    /** The durable state of {@code account} ({@link Account#NONE} when it does not exist). */
    public Account account(AccountRef account) {
        return AccountStreams.load(store(account), account.account()).account();
    }

    /** A reader of balances and transfer effects for the checker. */
    public TandemLedger ledger() {
        return new TandemLedger(Map.copyOf(banks));
    }

    private void execute(AccountRef account, AccountCommand command) {
        EventStore store = store(account);
        AccountStreams.Loaded loaded = AccountStreams.load(store, account.account());
        switch (AccountDecider.decide(loaded.account(), command)) {
            case Decision.Refused r -> throw InvalidInputException.of("account", account + " refused " + command + ": " + r.refusal());
            case Decision.Accepted a -> {
                if (!a.events().isEmpty()) {
                    store.commit(Commit.builder().append(AccountStreams.write(account.account(), loaded, a.events())).build());
                }
            }
        }
    }

    private EventStore store(AccountRef account) {
        InvalidInputException.requireNonNull(account, "account");
        EventStore store = banks.get(account.bank());
        if (store == null) {
            throw InvalidInputException.of("account.bank", "no bank named " + account.bank() + "; known: " + banks.keySet());
        }
        return store;
    }

    /** Starts {@code request} as a transaction; the future completes with its outcome once it is final. */
    public CompletableFuture<TransferOutcome> start(TransferRequest request) {
        InvalidInputException.requireNonNull(request, "request");
        store(request.from());
        store(request.to());
        String id = request.transferId().toString();
        String definition = TransferDefinitions.name(request.mode(), request.from().bank(), request.to().bank());
        CompletableFuture<TransferOutcome> outcome = watch.track(id);
        coordinator.startAsync(id, definition, new String(dev.tandem.core.json.Json.encode(TransferInput.of(request)), java.nio.charset.StandardCharsets.UTF_8))
                .whenComplete((tx, failure) -> {
                    if (failure != null) {
                        watch.fail(id, failure);
                    }
                });
        return outcome;
    }

    @Override
    public TransferOutcome transfer(TransferRequest request, Duration timeout) throws Exception {
        try {
            return start(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return TransferOutcome.PENDING;
        }
    }

    @Override
    public TransferOutcome query(UUID id) {
        return coordinator.find(id.toString()).map(v -> TransferWatch.outcome(v.status())).orElse(TransferOutcome.PENDING);
    }

    /** Failures the timer driver reported (for tests and diagnostics). */
    public List<Throwable> timerErrors() {
        return List.copyOf(timerErrors);
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (timers != null) {
            timers.close();
        }
        nodes.forEach(ServiceNode::close);
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
