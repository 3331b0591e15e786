package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.TransactionDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on its embedded backends: SQLite files, in-process transport, messaging nodes, timer thread. */
class EmbeddedEngineIT {

    static final TransactionDefinition SLOW_CREDIT = TransactionDefinition.saga("slow", 1)
            .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund"))
            .step("credit", s -> s.participant("bank-b").action("never-answers").compensation("uncredit").timeout(Duration.ofSeconds(3)))
            .build();

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    EmbeddedSystem system;

    @BeforeEach
    void setUp() {
        system = new EmbeddedSystem(dir, clock, DefinitionRegistry.of(Bank.TRANSFER, Bank.HOLD, SLOW_CREDIT), true);
    }

    @AfterEach
    void tearDown() {
        system.close();
    }

    Status status(String id) {
        return system.coordinator.find(id).orElseThrow().status();
    }

    void awaitStatus(String id, Status status) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == status);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(id + " did not become " + status + ": " + system.coordinator.find(id) + "; timers "
                    + system.coordinator.nextDueAt() + " at " + clock.instant() + "; errors " + system.timerErrors, e);
        }
    }

    @Test
    void aSagaAndATccCommit() throws Exception {
        java.util.concurrent.CompletableFuture<dev.tandem.saga.coordinator.Transaction> t1 = system.coordinator.whenTerminal("t1");
        system.coordinator.start("t1", "transfer", CoordinatorTest.TEN);
        system.coordinator.start("h1", "hold", CoordinatorTest.TEN);

        assertThat(t1.get(20, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
        assertThat(system.coordinator.whenTerminal("h1").get(20, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
        awaitStatus("t1", Status.COMMITTED);
        awaitStatus("h1", Status.COMMITTED);
        assertThat(system.bankA.balance()).as("transfer and hold both take 10 from A").isEqualTo(980);
        assertThat(system.bankB.balance()).as("transfer gives 10 to B, hold takes 10").isZero();
        assertThat(system.timerErrors).isEmpty();
    }

    @Test
    void aBusinessFailureIsCompensated() {
        system.bankB.limit = 1;

        system.coordinator.start("t1", "transfer", CoordinatorTest.TEN);

        awaitStatus("t1", Status.COMPENSATED);
        assertThat(system.bankA.balance()).isEqualTo(1000);
        assertThat(system.bankA.movementsOf("t1")).isEqualTo(2);
    }

    @Test
    void aStepThatTimesOutIsCompensatedByTheTimerDriver() {
        system.coordinator.start("s1", "slow", CoordinatorTest.TEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> system.coordinator.find("s1").orElseThrow().steps().get(1).action()
                == dev.tandem.saga.coordinator.LegStatus.IN_FLIGHT);

        clock.advance(Duration.ofSeconds(3));

        awaitStatus("s1", Status.COMPENSATED);
        assertThat(system.bankA.balance()).isEqualTo(1000);
    }

    @Test
    void aStuckTransactionIsResolvedByAnOperatorRetry() {
        system.bankA.refundsBroken = true;
        system.bankB.limit = 1;
        system.coordinator.start("t1", "transfer", CoordinatorTest.TEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            return status("t1") == Status.STUCK;
        });
        assertThat(new TransactionQueries(system.coordinatorStore, system.coordinator.decider().registry(), clock)
                .byStatus(Status.STUCK, 10)).hasSize(1);

        system.bankA.refundsBroken = false;
        system.coordinator.operatorRetry("t1", "alice", "refunds fixed");

        awaitStatus("t1", Status.COMPENSATED);
        assertThat(system.bankA.balance()).isEqualTo(1000);
        assertThat(system.bankA.movementsOf("t1")).isEqualTo(2);
    }
}
