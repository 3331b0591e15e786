package dev.tandem.example.bank.node;

import dev.tandem.example.bank.http.HttpBankClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bank A, bank B and the coordinator as three separate processes ({@link NodeMain}) on one {@link NodeConfig}, with
 * their logs in a directory; a client reaches them over their HTTP APIs. On PostgreSQL the coordinator may run as
 * several instances sharing its schema, one leading at a time ({@code coordinator-1}, {@code coordinator-2}, ...).
 */
public final class BankCluster implements AutoCloseable {

    public static final List<String> BANKS = List.of("A", "B");

    private final Map<String, ServiceProcess> banks = new LinkedHashMap<>();
    private final List<ServiceProcess> coordinators = new ArrayList<>();
    private final List<ServiceProcess> all = new ArrayList<>();

    private BankCluster(NodeConfig config, Path logDir, int coordinatorInstances, Duration leaseTtl) throws IOException {
        Files.createDirectories(logDir);
        for (String bank : BANKS) {
            int port = ServiceProcess.freePort();
            ServiceProcess p = ServiceProcess.node("bank " + bank, port, NodeMain.bankArguments(config, bank, port),
                    logDir.resolve("bank-" + bank + ".log"));
            banks.put(bank, p);
            all.add(p);
        }
        for (int i = 1; i <= coordinatorInstances; i++) {
            int port = ServiceProcess.freePort();
            ServiceProcess p = coordinatorInstances == 1
                    ? ServiceProcess.node("coordinator", port, NodeMain.coordinatorArguments(config, BANKS, port), logDir.resolve("coordinator.log"))
                    : ServiceProcess.node("coordinator-" + i, port, NodeMain.coordinatorArguments(config, BANKS, port, Integer.toString(i), leaseTtl),
                            logDir.resolve("coordinator-" + i + ".log"));
            coordinators.add(p);
            all.add(p);
        }
    }

    /** Starts the three processes together and waits until each listens. */
    public static BankCluster start(NodeConfig config, Path logDir) throws IOException, InterruptedException {
        return start(config, logDir, 1, NodeMain.DEFAULT_LEASE_TTL);
    }

    /**
     * Starts the banks and {@code coordinatorInstances} instances of the coordinator (more than one needs PostgreSQL: they
     * share its schema and lead in turn under a lease lasting {@code leaseTtl}) and waits until each listens.
     */
    public static BankCluster start(NodeConfig config, Path logDir, int coordinatorInstances, Duration leaseTtl) throws IOException, InterruptedException {
        if (coordinatorInstances < 1 || coordinatorInstances > 9) {
            throw dev.tandem.core.InvalidInputException.of("coordinators", "must be within 1..9, was " + coordinatorInstances);
        }
        if (coordinatorInstances > 1 && config.postgresUrl() == null) {
            throw dev.tandem.core.InvalidInputException.of("coordinators", "several coordinator instances share one store: they need PostgreSQL, "
                    + "and the configuration has SQLite files");
        }
        BankCluster cluster = new BankCluster(config, logDir, coordinatorInstances, leaseTtl);
        try {
            for (ServiceProcess p : cluster.all) {
                p.launch();
            }
            for (ServiceProcess p : cluster.all) {
                p.awaitReady(Duration.ofSeconds(120));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The coordinator's instances (one, unless started with several). */
    public List<ServiceProcess> coordinators() {
        return List.copyOf(coordinators);
    }

    /** The processes: bank A, bank B, the coordinator instances. */
    public List<ServiceProcess> processes() {
        return List.copyOf(all);
    }

    /** A client of the coordinator's and the banks' HTTP APIs. */
    public HttpBankClient client() {
        Map<String, URI> uris = new LinkedHashMap<>();
        banks.forEach((bank, p) -> uris.put(bank, uri(p)));
        return new HttpBankClient(coordinators.stream().map(BankCluster::uri).toList(), uris);
    }

    private static URI uri(ServiceProcess p) {
        return URI.create("http://127.0.0.1:" + p.port());
    }

    /** Stops every process (SIGTERM to all, then SIGKILL to those still running after 10 s). */
    @Override
    public void close() {
        try {
            for (ServiceProcess p : all) {
                p.terminate();
            }
            for (ServiceProcess p : all) {
                p.awaitExit(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
