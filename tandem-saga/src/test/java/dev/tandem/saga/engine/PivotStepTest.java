package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A saga step without a compensation (its pivot) whose action times out while its command is still on its way:
 * the coordinator must not compensate the steps before it (the late action would then create money); it re-sends
 * the action, and the late success commits the saga.
 */
class PivotStepTest {

    @Test
    void aLateActionOfATimedOutStepWithoutCompensationDoesNotCreateMoney() {
        TransactionDefinition pivot = TransactionDefinition.saga("pivot", 1)
                .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund"))
                .step("credit", s -> s.participant("bank-b").action("credit").timeout(Duration.ofSeconds(5)))
                .build();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryEventStore cs = new InMemoryEventStore(), sa = new InMemoryEventStore(), sb = new InMemoryEventStore();
        Bank a = new Bank("bank-a", sa, 100);
        Bank b = new Bank("bank-b", sb, 0);
        Coordinator c = new Coordinator("coordinator", cs, DefinitionRegistry.of(pivot), clock, new SplittableRandom(1), Ownership.all());
        DirectNetwork net = new DirectNetwork().service("coordinator", cs, c.replyHandler()).service("bank-a", sa, a.participant())
                .service("bank-b", sb, b.participant());
        net.drop = m -> m.destination().equals("bank-b");
        c.start("p1", "pivot", CoordinatorTest.TEN);
        net.runUntilQuiet();
        clock.advance(Duration.ofSeconds(6));
        c.fireDueTimers();
        net.runUntilQuiet();
        net.drop = m -> false;
        net.dropped.forEach(net::redeliver);
        net.runUntilQuiet();
        assertThat(a.balance() + b.balance()).as("money is conserved (status " + c.find("p1").orElseThrow().status() + ")").isEqualTo(100);
        assertThat(c.find("p1").orElseThrow().status()).isEqualTo(dev.tandem.saga.coordinator.Status.COMMITTED);
        assertThat(b.balance()).isPositive();
        cs.close();
        sa.close();
        sb.close();
    }
}
