package dev.tandem.saga.engine;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded deployment used by integration tests: one SQLite file per service (coordinator, bank-a, bank-b),
 * the in-process transport, a messaging node per service, and the coordinator's timer driver.
 */
final class EmbeddedSystem implements AutoCloseable {

    final SqliteEventStore coordinatorStore;
    final SqliteEventStore storeA;
    final SqliteEventStore storeB;
    final Bank bankA;
    final Bank bankB;
    final Coordinator coordinator;
    final InProcessTransport transport = new InProcessTransport();
    final List<Throwable> timerErrors = new CopyOnWriteArrayList<>();
    private final List<ServiceNode> nodes;
    private final TimerDriver timers;

    EmbeddedSystem(Path dir, InstantSource clock, DefinitionRegistry registry, boolean fresh) {
        coordinatorStore = SqliteEventStore.open(dir.resolve("coordinator.db"), StoreOptions.defaults());
        storeA = SqliteEventStore.open(dir.resolve("bank-a.db"), StoreOptions.defaults());
        storeB = SqliteEventStore.open(dir.resolve("bank-b.db"), StoreOptions.defaults());
        bankA = fresh ? new Bank("bank-a", storeA, 1000) : Bank.existing("bank-a", storeA);
        bankB = fresh ? new Bank("bank-b", storeB, 0) : Bank.existing("bank-b", storeB);
        coordinator = new Coordinator("coordinator", coordinatorStore, registry, clock, new SplittableRandom(11), Ownership.all());
        coordinator.recover();
        nodes = List.of(
                ServiceNode.builder(coordinatorStore, "coordinator", transport).handle("coordinator", coordinator.replyHandler()).start(),
                ServiceNode.builder(storeA, "bank-a", transport).handle("bank-a", bankA.participant()).start(),
                ServiceNode.builder(storeB, "bank-b", transport).handle("bank-b", bankB.participant()).start());
        timers = new TimerDriver(coordinator, clock, Duration.ofMillis(20), timerErrors::add).start();
    }

    @Override
    public void close() {
        timers.close();
        nodes.forEach(ServiceNode::close);
        transport.close();
        coordinatorStore.close();
        storeA.close();
        storeB.close();
    }
}
