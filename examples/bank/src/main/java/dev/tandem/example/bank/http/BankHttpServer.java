package dev.tandem.example.bank.http;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.core.InvalidInputException;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.runtime.ServiceNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP/JSON API of one service on the JDK's HTTP server, one virtual thread per request:
 * a bank ({@code /accounts}), the coordinator ({@code /transfers}), or both; and for operators, {@code /admin}
 * (parked messages, and on the coordinator transactions by status and the STUCK ones' retry and resolve),
 * {@code /metrics} in the Prometheus text format, and {@code /health} for probes.
 */
public final class BankHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final ServiceMetrics metrics;

    private BankHttpServer(HttpServer server, ExecutorService executor, ServiceMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
    }

    /**
     * Starts serving on 127.0.0.1:{@code port} (0 picks a free port).
     *
     * @param bank the bank, or null for a coordinator-only service
     * @param coordinator the transfers, or null for a bank-only service
     */
    public static BankHttpServer start(int port, BankService bank, CoordinatorService coordinator) throws IOException {
        if (bank == null && coordinator == null) {
            throw InvalidInputException.of("bank", "a service serves a bank, the coordinator or both; both were null");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tandem-http-", 1).factory());
        server.setExecutor(executor);
        if (bank != null) {
            BankApi api = new BankApi(bank.accounts());
            server.createContext("/accounts", ex -> Exchanges.handle(ex, api::handle));
        }
        if (coordinator != null) {
            TransferApi api = new TransferApi(coordinator);
            server.createContext("/transfers", ex -> Exchanges.handle(ex, api::handle));
        }
        Supplier<List<ServiceNode>> nodes = () -> { // read at each request: a coordinator instance's node comes and goes with the lead
            List<ServiceNode> now = new ArrayList<>();
            if (bank != null) {
                now.add(bank.node());
            }
            if (coordinator != null && coordinator.node() != null) {
                now.add(coordinator.node());
            }
            return now;
        };
        AdminApi admin = new AdminApi(nodes, coordinator);
        server.createContext("/admin", ex -> Exchanges.handle(ex, admin::handle));
        ServiceMetrics metrics = new ServiceMetrics(bank, coordinator);
        server.createContext("/metrics", ex -> Exchanges.handle(ex, metrics::handle));
        ServiceHealth health = new ServiceHealth(nodes, coordinator);
        server.createContext("/health", ex -> Exchanges.handle(ex, health::handle));
        server.createContext("/", ex -> Exchanges.handle(ex, e -> {
            throw Exchanges.noResource(e);
        }));
        server.start();
        return new BankHttpServer(server, executor, metrics);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        metrics.close();
    }
}
