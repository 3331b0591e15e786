package dev.tandem.saga.engine;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
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
    private final List<Consumption> consumptions;
    private final List<OutboxRelay> relays;
    private final TimerDriver timers;

    EmbeddedSystem(Path dir, InstantSource clock, DefinitionRegistry registry, boolean fresh) {
        this(dir, clock, registry, fresh, s -> {});
    }

    /** @param configure runs after the banks are opened and before any message is delivered (e.g. to set a bank's limit) */
    EmbeddedSystem(Path dir, InstantSource clock, DefinitionRegistry registry, boolean fresh,
            java.util.function.Consumer<EmbeddedSystem> configure) {
        coordinatorStore = SqliteEventStore.open(dir.resolve("coordinator.db"), StoreOptions.defaults());
        storeA = SqliteEventStore.open(dir.resolve("bank-a.db"), StoreOptions.defaults());
        storeB = SqliteEventStore.open(dir.resolve("bank-b.db"), StoreOptions.defaults());
        bankA = fresh ? new Bank("bank-a", storeA, 1000) : Bank.existing("bank-a", storeA);
        bankB = fresh ? new Bank("bank-b", storeB, 0) : Bank.existing("bank-b", storeB);
        coordinator = new Coordinator("coordinator", coordinatorStore, registry, clock, new SplittableRandom(11), Ownership.all());
        coordinator.recover();
        configure.accept(this);
        // every consumer before any relay: a relay re-publishes its backlog at once after a restart, and the
        // in-process transport only holds messages for consumer groups that exist
        InboxOptions inbox = InboxOptions.defaults().withReplies(transport, "engine");
        consumptions = List.of(
                transport.consume("bank-a", "bank-a", new InboxConsumer(storeA, "bank-a/bank-a", bankA.participant(), inbox)),
                transport.consume("bank-b", "bank-b", new InboxConsumer(storeB, "bank-b/bank-b", bankB.participant(), inbox)),
                transport.consume("coordinator", "coordinator",
                        new InboxConsumer(coordinatorStore, "coordinator/coordinator", coordinator.replyHandler(), inbox)));
        relays = List.of(
                new OutboxRelay(storeA, "bank-a", transport, RelayOptions.named("bank-a")).start(),
                new OutboxRelay(storeB, "bank-b", transport, RelayOptions.named("bank-b")).start(),
                new OutboxRelay(coordinatorStore, "coordinator", transport, RelayOptions.named("coordinator")).start());
        timers = new TimerDriver(coordinator, clock, Duration.ofMillis(20), timerErrors::add).start();
    }

    @Override
    public void close() {
        timers.close();
        consumptions.forEach(Consumption::close);
        relays.forEach(OutboxRelay::close);
        transport.close();
        coordinatorStore.close();
        storeA.close();
        storeB.close();
    }
}
