package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryEventStore store = new InMemoryEventStore();
    final InMemoryEventStore storeA = new InMemoryEventStore();
    final InMemoryEventStore storeB = new InMemoryEventStore();
    final DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER);

    @AfterEach
    void tearDown() {
        store.close();
        storeA.close();
        storeB.close();
    }

    LeaseOwnership lease(String owner) {
        return new LeaseOwnership(store, "coordinators", owner, 8, Duration.ofSeconds(10), clock);
    }

    // set by givenAStaleOwnerAndANewOne()
    MutableClock pausedClock;
    LeaseOwnership staleLease;
    LeaseOwnership newLease;
    Coordinator stale;
    Coordinator newOwner;

    /**
     * Owner "one" holds every lease and runs on a clock of its own that stops while it is paused (its view of time);
     * owner "two" runs on the test's clock and takes the leases over once they expire by it.
     */
    void givenAStaleOwnerAndANewOne() {
        pausedClock = new MutableClock(clock.instant());
        staleLease = new LeaseOwnership(store, "coordinators", "one", 8, Duration.ofSeconds(10), pausedClock);
        newLease = lease("two");
        staleLease.acquire();
        stale = new Coordinator("coordinator", store, registry, pausedClock, new SplittableRandom(1), staleLease);
        newOwner = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(2), newLease);
    }

    @Test
    void twoInstancesRacingForTheSamePartitionsEachGetDisjointOnes() throws Exception {
        List<LeaseOwnership> instances = List.of(lease("one"), lease("two"), lease("three"));
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (LeaseOwnership l : instances) {
                results.add(pool.submit((Callable<List<Integer>>) l::acquire));
            }
            for (Future<List<Integer>> f : results) {
                f.get();
            }
        }

        List<Integer> all = new ArrayList<>();
        instances.forEach(l -> l.leases().forEach(lease -> all.add(lease.partition())));
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        for (int i = 0; i < 100; i++) {
            String id = "tx-" + i;
            assertThat(instances.stream().filter(l -> l.owns(id)).count()).as(id).isEqualTo(1);
        }
    }

    @Test
    void aLeaseIsTakenOverOnlyAfterItExpiresAndTheNewTokenIsHigher() {
        LeaseOwnership one = lease("one");
        LeaseOwnership two = lease("two");
        one.acquire();

        assertThat(two.acquire()).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        assertThat(two.acquire()).hasSize(8);

        assertThat(one.owns("tx-1")).isFalse();
        assertThat(two.leases().getFirst().token()).isEqualTo(2);
        assertThat(one.acquire()).isEmpty();
    }

    @Test
    void aPausedOwnerCannotAppendAfterANewOwnerClaimedTheTransaction() throws Exception {
        LeaseOwnership oneLease = lease("one");
        LeaseOwnership twoLease = lease("two");
        oneLease.acquire();
        Coordinator one = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(1), oneLease);
        Coordinator two = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(2), twoLease);
        Bank a = new Bank("bank-a", storeA, 100);
        new Bank("bank-b", storeB, 0);
        DirectNetwork network = new DirectNetwork().service("bank-a", storeA, a.participant());
        one.start("t1", "transfer", CoordinatorTest.TEN);
        network.service("coordinator", store, one.replyHandler());
        network.drop = m -> m.destination().equals("coordinator"); // hold the reply back
        network.runUntilQuiet();
        Message reply = network.dropped.getFirst();

        Commit.Builder zombieDecision = one.replyHandler().handle(reply); // decided, then the owner pauses
        clock.advance(Duration.ofSeconds(11));
        assertThat(twoLease.acquire()).hasSize(8);
        assertThat(two.recover()).isEqualTo(1);

        assertThatThrownBy(() -> store.commit(zombieDecision.inbox(InboxEntry.of("coordinator", reply.id())).build()))
                .isInstanceOf(StreamVersionConflict.class);
        assertThatThrownBy(() -> one.replyHandler().handle(reply)).isInstanceOf(NotOwnerException.class);
        store.commit(two.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build());
        assertThat(two.find("t1").orElseThrow().steps().getFirst().action()).isEqualTo(dev.tandem.saga.coordinator.LegStatus.SUCCEEDED);
        assertThat(two.find("t1").orElseThrow().status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aPausedOwnerThatStillBelievesItHoldsTheLeaseCannotAppendOnceANewOwnerClaimedTheTransaction() throws Exception {
        givenAStaleOwnerAndANewOne();
        Bank a = new Bank("bank-a", storeA, 100);
        new Bank("bank-b", storeB, 0);
        DirectNetwork network = new DirectNetwork().service("bank-a", storeA, a.participant());
        stale.start("t1", "transfer", CoordinatorTest.TEN);
        network.service("coordinator", store, stale.replyHandler());
        network.drop = m -> m.destination().equals("coordinator");
        network.runUntilQuiet();
        Message reply = network.dropped.getFirst();
        clock.advance(Duration.ofSeconds(11));
        assertThat(newLease.acquire()).hasSize(8);
        assertThat(newOwner.recover()).isEqualTo(1);
        long claimed = store.streamVersion(TransactionStreams.streamOf("t1"));

        assertThat(staleLease.owns("t1")).as("by its own clock the stale lease is still valid").isTrue();
        Commit.Builder fromItsCache = stale.replyHandler().handle(reply); // decided on the state it last committed itself
        assertThatThrownBy(() -> store.commit(fromItsCache.inbox(InboxEntry.of("coordinator", reply.id())).build()))
                .as("the new owner's claim moved the stream on").isInstanceOf(StreamVersionConflict.class);
        assertThatThrownBy(() -> stale.replyHandler().handle(reply)).as("the inbox's re-run reads the claim").isInstanceOf(NotOwnerException.class);
        pausedClock.advance(Duration.ofSeconds(6)); // past the debit's timeout, still inside the stale lease
        stale.fireDueTimers();
        assertThat(store.streamVersion(TransactionStreams.streamOf("t1"))).as("the stale owner appended nothing").isEqualTo(claimed);

        store.commit(newOwner.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build());
        assertThat(newOwner.find("t1").orElseThrow().steps().getFirst().action()).isEqualTo(dev.tandem.saga.coordinator.LegStatus.SUCCEEDED);
    }

    @Test
    void aStaleOwnersDueTimerDoesNotFireIntoATransactionClaimedByANewOwner() throws Exception {
        givenAStaleOwnerAndANewOne();
        stale.start("t1", "transfer", CoordinatorTest.TEN);
        clock.advance(Duration.ofSeconds(11));
        newLease.acquire();
        newOwner.recover();
        long claimed = store.streamVersion(TransactionStreams.streamOf("t1"));
        pausedClock.advance(Duration.ofSeconds(6)); // the debit timed out by the stale owner's clock

        stale.fireDueTimers();

        assertThat(store.streamVersion(TransactionStreams.streamOf("t1"))).isEqualTo(claimed);
        assertThat(stale.find("t1").orElseThrow().status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aStaleOwnerCannotStartATransactionOnceItsLeaseWasTakenOver() {
        givenAStaleOwnerAndANewOne();
        stale.start("t1", "transfer", CoordinatorTest.TEN); // while its lease is current
        clock.advance(Duration.ofSeconds(11));
        assertThat(newLease.acquire()).hasSize(8);
        newOwner.recover();

        assertThat(staleLease.owns("t2")).as("by its own clock the stale lease is still valid").isTrue();
        assertThatThrownBy(() -> stale.start("t2", "transfer", CoordinatorTest.TEN)).isInstanceOf(NotOwnerException.class);
        assertThat(store.streamVersion(TransactionStreams.streamOf("t2"))).as("nothing of t2 was written").isZero();

        assertThat(newOwner.start("t2", "transfer", CoordinatorTest.TEN).status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void anOwnerStartsTransactionsAcrossRenewalsOfItsLease() {
        LeaseOwnership oneLease = lease("one");
        oneLease.acquire();
        Coordinator one = new Coordinator("coordinator", store, registry, clock, new SplittableRandom(1), oneLease);
        one.start("t1", "transfer", CoordinatorTest.TEN);
        clock.advance(Duration.ofSeconds(5));
        oneLease.acquire(); // renews: a new grant, a higher token

        assertThat(one.start("t2", "transfer", CoordinatorTest.TEN).status()).isEqualTo(Status.RUNNING);
        assertThat(oneLease.leases().getFirst().token()).isGreaterThan(1);
    }
}
