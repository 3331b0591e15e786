package dev.tandem.cli;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.example.bank.http.BankHttpServer;
import dev.tandem.example.bank.service.AccountBook;
import dev.tandem.example.bank.transfer.AccountRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem bank --name A}: one bank service in its own process, with its own SQLite store and HTTP API. */
@Command(name = "bank", mixinStandardHelpOptions = true, description = "Run one bank service (accounts + transfer participant) over HTTP.")
final class BankCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "The bank's name, e.g. A or B.")
    String name;

    @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks one).", defaultValue = "0")
    int port;

    @Option(names = "--data-dir", description = "Where the bank keeps its store (default: ${DEFAULT-VALUE}).", defaultValue = "tandem-data")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        AccountRef.requireName(name, "--name");
        Files.createDirectories(dataDir);
        SqliteEventStore store = SqliteEventStore.open(dataDir.resolve("bank-" + name + ".db"), StoreOptions.defaults());
        BankHttpServer server = BankHttpServer.start(port, new AccountBook(name, store), null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }, "tandem-bank-shutdown-1"));
        System.out.println("bank " + name + " listening on 127.0.0.1:" + server.port());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
