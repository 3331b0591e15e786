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
 * their logs in a directory; a client reaches them over their HTTP APIs.
 */
public final class BankCluster implements AutoCloseable {

    public static final List<String> BANKS = List.of("A", "B");

    private final Map<String, ServiceProcess> banks = new LinkedHashMap<>();
    private final ServiceProcess coordinator;
    private final List<ServiceProcess> all = new ArrayList<>();

    private BankCluster(NodeConfig config, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        for (String bank : BANKS) {
            int port = ServiceProcess.freePort();
            ServiceProcess p = ServiceProcess.node("bank " + bank, port, NodeMain.bankArguments(config, bank, port),
                    logDir.resolve("bank-" + bank + ".log"));
            banks.put(bank, p);
            all.add(p);
        }
        int port = ServiceProcess.freePort();
        coordinator = ServiceProcess.node("coordinator", port, NodeMain.coordinatorArguments(config, BANKS, port), logDir.resolve("coordinator.log"));
        all.add(coordinator);
    }

    /** Starts the three processes together and waits until each listens. */
    public static BankCluster start(NodeConfig config, Path logDir) throws IOException, InterruptedException {
        BankCluster cluster = new BankCluster(config, logDir);
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

    /** The three processes: bank A, bank B, the coordinator. */
    public List<ServiceProcess> processes() {
        return List.copyOf(all);
    }

    /** A client of the coordinator's and the banks' HTTP APIs. */
    public HttpBankClient client() {
        Map<String, URI> uris = new LinkedHashMap<>();
        banks.forEach((bank, p) -> uris.put(bank, uri(p)));
        return new HttpBankClient(uri(coordinator), uris);
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
