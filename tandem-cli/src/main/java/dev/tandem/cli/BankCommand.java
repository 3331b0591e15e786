package dev.tandem.cli;

import dev.tandem.example.bank.node.NodeMain;
import dev.tandem.example.bank.node.RunningNode;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem bank --name A --kafka BOOTSTRAP [--postgres URL]}: one bank in its own process: its store, the transfer
 * participant consuming the coordinator's commands from Kafka, and its HTTP API for accounts.
 */
@Command(name = "bank", mixinStandardHelpOptions = true,
        description = "Run one bank service: its accounts over HTTP, and the transfer participant on Tandem's engine over Kafka.")
final class BankCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "The bank's name, e.g. A or B.")
    String name;

    @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks one).", defaultValue = "0")
    int port;

    @Mixin
    NodeOptions node;

    @Override
    public Integer call() throws Exception {
        AccountRef.requireName(name, "--name");
        NodeMain.runUntilStopped(RunningNode.bank(node.config(), name, port));
        return 0;
    }
}
