package dev.tandem.example.bank.node;

import dev.tandem.core.InvalidInputException;
import dev.tandem.saga.engine.CoordinatorNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a service process started by {@link ServiceProcess}: {@code bank --name A --port P ...} or
 * {@code coordinator --port P --banks A,B [--instance I --lease-ttl PT5S] ...}, with the options of {@link NodeConfig#arguments()}. Runs until killed
 * or terminated; prints one line when its HTTP API listens.
 */
public final class NodeMain {

    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("bank") || args[0].equals("coordinator"))) {
            throw InvalidInputException.of("args", "expected 'bank' or 'coordinator' first, was " + Arrays.toString(args));
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw InvalidInputException.of("args", "expected --option value pairs, was " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        NodeConfig config = new NodeConfig(Path.of(options.getOrDefault("data-dir", "tandem-data")), options.get("postgres"),
                options.get("kafka"), options.getOrDefault("topic-prefix", NodeConfig.DEFAULT_TOPIC_PREFIX));
        int port = Integer.parseInt(options.getOrDefault("port", "0"));
        CoordinatorNode.Leadership leadership = options.containsKey("instance")
                ? leadership(options.get("instance"), Duration.parse(options.getOrDefault("lease-ttl", DEFAULT_LEASE_TTL.toString())))
                : null;
        RunningNode node = args[0].equals("bank")
                ? RunningNode.bank(config, options.get("name"), port)
                : RunningNode.coordinator(config, List.of(options.getOrDefault("banks", "A,B").split(",")), port, leadership);
        runUntilStopped(node);
    }

    /** How long a coordinator instance's lease lasts unless renewed, by default: the longest the instances go without a leader. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);

    /** Instance {@code instance} of a coordinator leadership group whose lease lasts {@code ttl}, renewed every third of it. */
    public static CoordinatorNode.Leadership leadership(String instance, Duration ttl) {
        return CoordinatorNode.Leadership.of(instance, ttl);
    }

    /** Prints where {@code node} listens and blocks until the JVM shuts down, closing it then. */
    public static void runUntilStopped(RunningNode node) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "tandem-node-shutdown-1"));
        System.out.println(node.description() + " listening on 127.0.0.1:" + node.port());
        System.out.flush();
        stopped.await();
    }

    /** The {@link NodeMain} arguments of bank {@code bank} on {@code port}. */
    public static List<String> bankArguments(NodeConfig config, String bank, int port) {
        List<String> args = new ArrayList<>(List.of("bank", "--name", bank, "--port", Integer.toString(port)));
        args.addAll(config.arguments());
        return args;
    }

    /** The {@link NodeMain} arguments of the coordinator of {@code banks} on {@code port}. */
    public static List<String> coordinatorArguments(NodeConfig config, List<String> banks, int port) {
        List<String> args = new ArrayList<>(List.of("coordinator", "--banks", String.join(",", banks), "--port", Integer.toString(port)));
        args.addAll(config.arguments());
        return args;
    }

    /** The {@link NodeMain} arguments of coordinator instance {@code instance} (of several, leading in turn) of {@code banks} on {@code port}. */
    public static List<String> coordinatorArguments(NodeConfig config, List<String> banks, int port, String instance, Duration leaseTtl) {
        List<String> args = coordinatorArguments(config, banks, port);
        args.addAll(List.of("--instance", instance, "--lease-ttl", leaseTtl.toString()));
        return args;
    }
}
