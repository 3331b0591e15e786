package dev.tandem.example.bank.service;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import dev.tandem.example.bank.verify.TransferClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Bank A, bank B and the coordinator in one JVM, each with its own store: SQLite files (the
 * embedded default) or memory (tests). Banks are called in process.
 */
public final class EmbeddedBanks implements AutoCloseable {

    private final Map<String, EventStore> stores = new LinkedHashMap<>();
    private final Map<String, AccountBook> banks = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final TransferCoordinator coordinator;

    private EmbeddedBanks(List<String> bankNames, Function<String, EventStore> storeFor) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tandem-bank-retry-", 1).daemon().factory());
        try {
            for (String name : bankNames) {
                EventStore store = storeFor.apply("bank-" + name);
                stores.put(name, store);
                banks.put(name, new AccountBook(name, store));
            }
            EventStore coordinatorStore = storeFor.apply("coordinator");
            stores.put("coordinator", coordinatorStore);
            coordinator = new TransferCoordinator(coordinatorStore, Participants.inProcess(banks), timer);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Banks A and B and the coordinator on SQLite files in {@code dataDir}; resumes unfinished transfers. */
    public static EmbeddedBanks open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw dev.tandem.core.InvalidInputException.of("dataDir", "cannot be created: " + e.getMessage());
        }
        EmbeddedBanks banks = new EmbeddedBanks(List.of("A", "B"),
                name -> SqliteEventStore.open(dataDir.resolve(name + ".db"), StoreOptions.defaults()));
        banks.coordinator.recover();
        return banks;
    }

    /** Banks A and B and the coordinator on in-memory stores. */
    public static EmbeddedBanks inMemory() {
        return new EmbeddedBanks(List.of("A", "B"), name -> new InMemoryEventStore());
    }

    public AccountBook bank(String name) {
        AccountBook book = banks.get(name);
        if (book == null) {
            throw dev.tandem.core.InvalidInputException.of("bank", "no bank named " + name + "; known: " + banks.keySet());
        }
        return book;
    }

    public Map<String, AccountBook> banks() {
        return Map.copyOf(banks);
    }

    public TransferCoordinator coordinator() {
        return coordinator;
    }

    /** Opens {@code account} with {@code initial} deposited; waits until durable. */
    public void openAccount(AccountRef account, Money initial) throws Exception {
        AccountBook book = bank(account.bank());
        require(book.execute(account.account(), new AccountCommand.Open(initial.currency())).get(), account);
        if (initial.minor() > 0) {
            require(book.execute(account.account(), new AccountCommand.Deposit(initial)).get(), account);
        }
    }

    private static void require(Reply reply, AccountRef account) {
        if (reply instanceof Reply.Refused r) {
            throw new IllegalStateException("cannot set up " + account + ": " + r.refusal());
        }
    }

    /** A client for the load generator that calls the coordinator directly. */
    public TransferClient client() {
        return new TransferClient() {
            @Override
            public TransferOutcome transfer(TransferRequest request, Duration timeout) throws Exception {
                try {
                    return coordinator.start(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS).outcome();
                } catch (TimeoutException e) {
                    return TransferOutcome.PENDING;
                }
            }

            @Override
            public TransferOutcome query(UUID id) {
                TransferView view = coordinator.find(id);
                return view == null ? TransferOutcome.PENDING : view.outcome();
            }
        };
    }

    /** Starts a transfer and returns its future; for callers that pipeline. */
    public java.util.concurrent.CompletableFuture<TransferResult> start(TransferRequest request) {
        return coordinator.start(request);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        RuntimeException first = null;
        for (EventStore store : stores.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
