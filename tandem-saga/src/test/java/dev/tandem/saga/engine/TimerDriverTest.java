package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TimerDriverTest {

    @Test
    void firesATimeoutWhenTheInjectedClockPassesItAndNotBefore() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        CopyOnWriteArrayList<Throwable> errors = new CopyOnWriteArrayList<>();
        try (InMemoryEventStore store = new InMemoryEventStore()) {
            Coordinator coordinator = new Coordinator("coordinator", store, DefinitionRegistry.of(Bank.TRANSFER), clock,
                    new SplittableRandom(3), Ownership.all());
            try (TimerDriver subject = new TimerDriver(coordinator, clock, Duration.ofMillis(20), errors::add).start()) {
                coordinator.start("t1", "transfer", CoordinatorTest.TEN);
                subject.wake();
                await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
                        .until(() -> coordinator.find("t1").orElseThrow().status() == Status.RUNNING);

                clock.advance(Duration.ofSeconds(5));

                await().atMost(Duration.ofSeconds(5)).until(() -> coordinator.find("t1").orElseThrow().status() == Status.COMPENSATING);
            }
        }
        assertThat(errors).isEmpty();
    }
}
