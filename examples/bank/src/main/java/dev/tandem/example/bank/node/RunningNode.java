package dev.tandem.example.bank.node;

import dev.tandem.eventstore.EventStore;
import dev.tandem.example.bank.http.BankHttpServer;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.example.bank.tandem.TransferDefinitions;
import dev.tandem.messaging.Transport;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** One service of the bank example running in this process: its store, its Kafka transport, the service and its HTTP API. */
public final class RunningNode implements AutoCloseable {

    private final List<AutoCloseable> parts;
    private final BankHttpServer server;
    private final String description;

    private RunningNode(List<AutoCloseable> parts, BankHttpServer server, String description) {
        this.parts = parts;
        this.server = server;
        this.description = description;
    }

    /** Starts bank {@code bank} with its HTTP API on 127.0.0.1:{@code port} (0 picks one). */
    public static RunningNode bank(NodeConfig config, String bank, int port) throws IOException {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            String name = TransferDefinitions.participant(bank);
            EventStore store = config.openStore(name);
            parts.add(store);
            Transport transport = config.openTransport(name);
            parts.add(transport);
            BankService service = BankService.start(bank, store, transport);
            parts.add(service);
            BankHttpServer server = BankHttpServer.start(port, service, null);
            parts.add(server);
            return new RunningNode(parts, server, "bank " + bank);
        } catch (IOException | RuntimeException e) {
            closeAll(parts, e);
            throw e;
        }
    }

    /** Starts the coordinator of transfers among {@code banks} with its HTTP API on 127.0.0.1:{@code port} (0 picks one). */
    public static RunningNode coordinator(NodeConfig config, List<String> banks, int port) throws IOException {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            EventStore store = config.openStore(CoordinatorService.NAME);
            parts.add(store);
            Transport transport = config.openTransport(CoordinatorService.NAME);
            parts.add(transport);
            CoordinatorService service = CoordinatorService.start(store, transport, banks, InstantSource.system());
            parts.add(service);
            BankHttpServer server = BankHttpServer.start(port, null, service);
            parts.add(server);
            return new RunningNode(parts, server, "coordinator (resumed " + service.resumed() + " unfinished transfers)");
        } catch (IOException | RuntimeException e) {
            closeAll(parts, e);
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        closeAll(parts, null);
    }

    private static void closeAll(List<AutoCloseable> parts, Throwable failure) {
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
