package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    @Test
    void keepsOnlyTheMostRecentFinishedTransactionsButCountsThemAll() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER);
        try (InMemoryEventStore store = new InMemoryEventStore(); InMemoryEventStore storeA = new InMemoryEventStore();
                InMemoryEventStore storeB = new InMemoryEventStore()) {
            Coordinator coordinator = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(3), Ownership.all());
            Bank a = new Bank("bank-a", storeA, 1_000_000);
            Bank b = new Bank("bank-b", storeB, 0);
            DirectNetwork network = new DirectNetwork().service("coordinator", store, coordinator.replyHandler())
                    .service("bank-a", storeA, a.participant()).service("bank-b", storeB, b.participant());
            TransactionQueries subject = new TransactionQueries(store, registry, clock);
            int total = TransactionQueries.KEEP_FINISHED + 50;
            for (int i = 0; i < total; i++) {
                clock.advance(Duration.ofSeconds(1));
                coordinator.start(String.format("t%05d", i), "transfer", CoordinatorTest.TEN);
                network.runUntilQuiet();
                if (i == 10) {
                    assertThat(subject.countByStatus()).containsEntry(Status.COMMITTED, 11L); // caught up part-way, then on
                }
            }
            coordinator.start("running", "transfer", CoordinatorTest.TEN);

            assertThat(subject.countByStatus()).isEqualTo(Map.of(Status.COMMITTED, (long) total, Status.RUNNING, 1L));
            List<Transaction> committed = subject.byStatus(Status.COMMITTED, 5);
            assertThat(committed).extracting(Transaction::id).as("the oldest of the most recent KEEP_FINISHED")
                    .containsExactly("t00050", "t00051", "t00052", "t00053", "t00054");
            assertThat(subject.byStatus(Status.COMMITTED, 10 * total)).hasSize(TransactionQueries.KEEP_FINISHED);
            assertThat(subject.byStatus(Status.RUNNING, 10)).extracting(Transaction::id).containsExactly("running");
            assertThat(subject.unfinishedOlderThan(Duration.ZERO, 10 * total)).isEmpty(); // started now: not older than now
        }
    }

    private static java.util.UUID firstCommandOf(InMemoryEventStore store, String id) {
        return store.readStream(dev.tandem.eventstore.StreamId.of("saga-" + id), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10)
                .stream().filter(e -> e.route() != null).findFirst().orElseThrow().id();
    }
}
