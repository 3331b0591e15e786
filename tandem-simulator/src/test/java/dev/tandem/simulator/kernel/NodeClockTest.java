package dev.tandem.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeClockTest {

    @Test
    void followsVirtualTimeShiftedByItsJumps() {
        Scheduler scheduler = new Scheduler(new SplittableRandom(1), new VirtualClock(), new Trace(0));
        NodeClock subject = new NodeClock(scheduler.clock());
        scheduler.runUntil(Duration.ofSeconds(5).toNanos());

        subject.jump(Duration.ofSeconds(-30));
        subject.jump(Duration.ofSeconds(10));

        assertThat(subject.instant()).isEqualTo(VirtualClock.EPOCH.plusSeconds(5 - 20));
        assertThat(subject.offset()).isEqualTo(Duration.ofSeconds(-20));
        subject.resync();
        assertThat(subject.instant()).isEqualTo(scheduler.clock().instant());
    }
}
