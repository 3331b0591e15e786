package dev.tandem.example.bank.node;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.example.bank.http.BankHttpServer;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.example.bank.tandem.TransferDefinitions;
import dev.tandem.messaging.Transport;
import dev.tandem.saga.engine.CoordinatorNode;
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
        return coordinator(config, banks, port, null);
    }

    /**
     * As {@link #coordinator(NodeConfig, List, int)}, as one of several instances on the coordinator's PostgreSQL schema
     * when {@code leadership} is not null: one leads, the others stand by and take over when it dies or stalls.
     */
    public static RunningNode coordinator(NodeConfig config, List<String> banks, int port, CoordinatorNode.Leadership leadership) throws IOException {
        if (leadership != null && config.postgresUrl() == null) {
            throw InvalidInputException.of("instance", "coordinator instances share one store: run them on PostgreSQL (--postgres); "
                    + "a SQLite file belongs to one process");
        }
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            EventStore store = config.openStore(CoordinatorService.NAME);
            parts.add(store);
            // every instance is the same static member of the group: only the leader consumes, and a new leader's consumer
            // takes the previous one's partitions at once (fencing it) instead of waiting for its session to time out
            Transport transport = config.openTransport(CoordinatorService.NAME);
            parts.add(transport);
            CoordinatorService service = CoordinatorService.start(store, transport, banks, InstantSource.system(), leadership);
            parts.add(service);
            BankHttpServer server = BankHttpServer.start(port, null, service);
            parts.add(server);
            String what = leadership == null ? "coordinator"
                    : "coordinator instance " + leadership.instance() + " (" + service.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
            return new RunningNode(parts, server, what + " (resumed " + service.resumed() + " unfinished transfers)");
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
