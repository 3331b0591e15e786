package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransactionQueriesTest {

    @Test
    void listsTransactionsByStatusAndUnfinishedOnesByAge() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER);
        try (InMemoryEventStore store = new InMemoryEventStore(); InMemoryEventStore storeA = new InMemoryEventStore();
                InMemoryEventStore storeB = new InMemoryEventStore()) {
            Coordinator coordinator = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(3), Ownership.all());
            Bank a = new Bank("bank-a", storeA, 100);
            Bank b = new Bank("bank-b", storeB, 0);
            DirectNetwork network = new DirectNetwork().service("coordinator", store, coordinator.replyHandler())
                    .service("bank-a", storeA, a.participant()).service("bank-b", storeB, b.participant());
            TransactionQueries subject = new TransactionQueries(store, registry, clock);

            coordinator.start("old", "transfer", CoordinatorTest.TEN);
            clock.advance(Duration.ofMinutes(6));
            coordinator.start("done", "transfer", CoordinatorTest.TEN);
            network.drop = m -> m.destination().equals("bank-a") && !m.id().equals(firstCommandOf(store, "done"));
            network.runUntilQuiet();
            coordinator.start("fresh", "transfer", CoordinatorTest.TEN);

            assertThat(subject.unfinishedOlderThan(Duration.ofMinutes(5), 10)).extracting(Transaction::id).containsExactly("old");
            assertThat(subject.byStatus(Status.COMMITTED, 10)).extracting(Transaction::id).containsExactly("done");
            assertThat(subject.byStatus(Status.RUNNING, 10)).extracting(Transaction::id).containsExactly("old", "fresh");
            assertThat(subject.countByStatus()).isEqualTo(Map.of(Status.RUNNING, 2L, Status.COMMITTED, 1L));
        }
    }

    private static java.util.UUID firstCommandOf(InMemoryEventStore store, String id) {
        return store.readStream(dev.tandem.eventstore.StreamId.of("saga-" + id), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10)
                .stream().filter(e -> e.route() != null).findFirst().orElseThrow().id();
    }
}
