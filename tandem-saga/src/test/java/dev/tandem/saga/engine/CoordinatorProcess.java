package dev.tandem.saga.engine;

import dev.tandem.eventstore.EventStore;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The coordinator as a process of its own, for {@link PostgresKafkaEngineIT}: its store on PostgreSQL, its
 * commands and replies on Kafka. Arguments: the {@link ServerSystem.Where} (5 values), then {@code fresh <n>
 * <amount>} to start transactions {@code k-0..k-(n-1)} before relaying anything, or {@code recover}. It runs
 * until it is killed.
 */
public final class CoordinatorProcess {

    static final DefinitionRegistry REGISTRY = DefinitionRegistry.of(CrashChild.CRASH_TRANSFER);

    private CoordinatorProcess() {}

    public static void main(String[] args) throws Exception {
        ServerSystem.Where where = ServerSystem.Where.of(args, 0);
        ServerSystem system = new ServerSystem(where, "coordinator-0"); // static member: a restart takes the partitions at once
        Coordinator coordinator = system.coordinator(REGISTRY, Ownership.all(), 11);
        System.out.println(java.time.Instant.now() + " RECOVERED " + coordinator.recover());
        if (args[5].equals("fresh")) {
            int n = Integer.parseInt(args[6]);
            List<CompletableFuture<?>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                starts.add(coordinator.startAsync("k-" + i, CrashChild.CRASH_TRANSFER.name(), "{\"amount\":" + args[7] + "}"));
            }
            starts.forEach(f -> EventStore.await(f));
            System.out.println(java.time.Instant.now() + " STARTED " + n);
        }
        system.run(coordinator);
        System.out.println(java.time.Instant.now() + " RUNNING");
        System.out.flush();
        new CountDownLatch(1).await(); // until killed
    }
}
