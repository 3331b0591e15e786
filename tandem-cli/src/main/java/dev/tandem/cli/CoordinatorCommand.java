package dev.tandem.cli;

import dev.tandem.example.bank.node.NodeMain;
import dev.tandem.example.bank.node.RunningNode;
import dev.tandem.saga.engine.CoordinatorNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem coordinator --kafka BOOTSTRAP [--postgres URL]}: the transfer coordinator in its own process: Tandem's
 * coordinator, timer driver and recovery over its store, the banks' replies consumed from Kafka, and the HTTP API
 * to start transfers and see their state.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run the transfer coordinator on Tandem's engine over Kafka, with the /transfers HTTP API.")
final class CoordinatorCommand implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks one).", defaultValue = "0")
    int port;

    @Option(names = "--bank", description = "A bank transfers may involve (repeat per bank; default: A and B).")
    List<String> banks = new ArrayList<>();

    @Option(names = "--instance", description = "Run as this instance of several on one PostgreSQL schema (needs --postgres): one leads under "
            + "a lease, the others stand by and take over when it dies or stalls. Without it, the only instance.")
    String instance;

    @Option(names = "--lease-ttl", description = "With --instance: how long the lead lasts unless renewed (renewed every third of it), the "
            + "longest the instances go without a leader (default: ${DEFAULT-VALUE}).", defaultValue = "5s")
    String leaseTtl;

    @Mixin
    NodeOptions node;

    @Override
    public Integer call() throws Exception {
        CoordinatorNode.Leadership leadership = instance == null ? null : NodeMain.leadership(instance, Durations.parse(leaseTtl, "--lease-ttl"));
        NodeMain.runUntilStopped(RunningNode.coordinator(node.config(), banks.isEmpty() ? List.of("A", "B") : banks, port, leadership));
        return 0;
    }
}
