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

    /** A coordinator and two banks (A funded with {@code funds}) on in-memory stores, a direct network, and the subject. */
    static final class Fixture implements AutoCloseable {
        final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        final DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER);
        final InMemoryEventStore store = new InMemoryEventStore();
        final InMemoryEventStore storeA = new InMemoryEventStore();
        final InMemoryEventStore storeB = new InMemoryEventStore();
        final Coordinator coordinator = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(3), Ownership.all());
        final DirectNetwork network;
        final TransactionQueries subject = new TransactionQueries(store, registry, clock);

        Fixture(long funds) {
            network = new DirectNetwork().service("coordinator", store, coordinator.replyHandler())
                    .service("bank-a", storeA, new Bank("bank-a", storeA, funds).participant())
                    .service("bank-b", storeB, new Bank("bank-b", storeB, 0).participant());
        }

        @Override
        public void close() {
            store.close();
            storeA.close();
            storeB.close();
        }
    }

    @Test
    void listsTransactionsByStatusAndUnfinishedOnesByAge() {
        try (Fixture f = new Fixture(100)) {
            f.coordinator.start("old", "transfer", CoordinatorTest.TEN);
            f.clock.advance(Duration.ofMinutes(6));
            f.coordinator.start("done", "transfer", CoordinatorTest.TEN);
            f.network.drop = m -> m.destination().equals("bank-a") && !m.id().equals(firstCommandOf(f.store, "done"));
            f.network.runUntilQuiet();
            f.coordinator.start("fresh", "transfer", CoordinatorTest.TEN);

            assertThat(f.subject.unfinishedOlderThan(Duration.ofMinutes(5), 10)).extracting(Transaction::id).containsExactly("old");
            assertThat(f.subject.byStatus(Status.COMMITTED, 10)).extracting(Transaction::id).containsExactly("done");
            assertThat(f.subject.byStatus(Status.RUNNING, 10)).extracting(Transaction::id).containsExactly("old", "fresh");
            assertThat(f.subject.countByStatus()).isEqualTo(Map.of(Status.RUNNING, 2L, Status.COMMITTED, 1L));
        }
    }

    @Test
    void keepsOnlyTheMostRecentFinishedTransactionsButCountsThemAll() {
        try (Fixture f = new Fixture(1_000_000)) {
            int total = TransactionQueries.KEEP_FINISHED + 50;
            for (int i = 0; i < total; i++) {
                f.clock.advance(Duration.ofSeconds(1));
                f.coordinator.start(String.format("t%05d", i), "transfer", CoordinatorTest.TEN);
                f.network.runUntilQuiet();
                if (i == 10) {
                    assertThat(f.subject.countByStatus()).containsEntry(Status.COMMITTED, 11L); // caught up part-way, then on
                }
            }
            f.coordinator.start("running", "transfer", CoordinatorTest.TEN);

            assertThat(f.subject.countByStatus()).isEqualTo(Map.of(Status.COMMITTED, (long) total, Status.RUNNING, 1L));
            List<Transaction> committed = f.subject.byStatus(Status.COMMITTED, 5);
            assertThat(committed).extracting(Transaction::id).as("the oldest of the most recent KEEP_FINISHED")
                    .containsExactly("t00050", "t00051", "t00052", "t00053", "t00054");
            assertThat(f.subject.byStatus(Status.COMMITTED, 10 * total)).hasSize(TransactionQueries.KEEP_FINISHED);
            assertThat(f.subject.byStatus(Status.RUNNING, 10)).extracting(Transaction::id).containsExactly("running");
            assertThat(f.subject.unfinishedOlderThan(Duration.ZERO, 10 * total)).isEmpty(); // started now: not older than now
        }
    }

    private static java.util.UUID firstCommandOf(InMemoryEventStore store, String id) {
        return store.readStream(dev.tandem.eventstore.StreamId.of("saga-" + id), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10)
                .stream().filter(e -> e.route() != null).findFirst().orElseThrow().id();
    }
}
