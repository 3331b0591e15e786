package dev.tandem.cli;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.example.bank.http.BankHttpServer;
import dev.tandem.example.bank.http.HttpParticipants;
import dev.tandem.example.bank.service.TransferCoordinator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem coordinator}: the transfer coordinator in its own process, reaching the banks over HTTP. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, description = "Run the transfer coordinator over HTTP.")
final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks one).", defaultValue = "0")
    int port;

    @Option(names = "--data-dir", description = "Where the coordinator keeps its store (default: ${DEFAULT-VALUE}).", defaultValue = "tandem-data")
    Path dataDir;

    @Option(names = "--bank", required = true, description = "A bank and its base URL, e.g. A=http://127.0.0.1:8081 (repeat per bank).")
    Map<String, URI> banks = new LinkedHashMap<>();

    @Option(names = "--bank-timeout", description = "How long to wait for a bank's answer (default: ${DEFAULT-VALUE}).", defaultValue = "2s")
    String bankTimeout;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        Duration timeout = Durations.parse(bankTimeout, "--bank-timeout");
        SqliteEventStore store = SqliteEventStore.open(dataDir.resolve("coordinator.db"), StoreOptions.defaults());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tandem-coordinator-retry-", 1).factory());
        TransferCoordinator coordinator = new TransferCoordinator(store, new HttpParticipants(banks, timeout), timer);
        int resumed = coordinator.recover();
        BankHttpServer server = BankHttpServer.start(port, null, coordinator);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            timer.shutdownNow();
            store.close();
            stopped.countDown();
        }, "tandem-coordinator-shutdown-1"));
        System.out.println("coordinator listening on 127.0.0.1:" + server.port() + " (resumed " + resumed + " unfinished transfers)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
