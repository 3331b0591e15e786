package dev.tandem.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.simulator.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

    private final Scheduler scheduler = new Scheduler(new SplittableRandom(7), new VirtualClock(), new Trace(10));
    private final List<Object> received = new ArrayList<>();

    private SimulatedNetwork network(FaultPlan plan) {
        SimulatedNetwork subject = new SimulatedNetwork(scheduler, plan);
        subject.register("b", received::add);
        return subject;
    }

    private void sendNumbers(SimulatedNetwork subject, int count) {
        for (int i = 0; i < count; i++) {
            subject.send("a", "b", i, "n" + i);
        }
        while (scheduler.step()) {
            // drain
        }
    }

    private static FaultPlan only(double drop, double duplicate, double reorder) {
        return new FaultPlan(drop, duplicate, reorder, Duration.ofMillis(1), Duration.ofMillis(5), 0, Duration.ZERO, 0, Duration.ZERO);
    }

    @Nested
    class WithoutFaults {

        @Test
        void deliversEveryPacketExactlyOnce() {
            SimulatedNetwork subject = network(FaultPlan.none());

            sendNumbers(subject, 1000);

            assertThat(received).hasSize(1000).doesNotHaveDuplicates();
            assertThat(subject.dropped()).isZero();
        }

        @Test
        void rejectsAnUnknownDestination() {
            SimulatedNetwork subject = network(FaultPlan.none());

            assertThatThrownBy(() -> subject.send("a", "nowhere", 1, "x"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("nowhere");
        }
    }

    @Nested
    class WithFaults {

        @Test
        void dropsAboutTheConfiguredShareOfPackets() {
            SimulatedNetwork subject = network(only(0.3, 0, 0));

            sendNumbers(subject, 10_000);

            assertThat(received.size()).isBetween(6_600, 7_400);
            assertThat(subject.dropped()).isEqualTo(10_000 - received.size());
        }

        @Test
        void duplicatesAboutTheConfiguredShareOfPackets() {
            SimulatedNetwork subject = network(only(0, 0.2, 0));

            sendNumbers(subject, 10_000);

            assertThat(received.size()).isBetween(11_700, 12_300);
            assertThat(received.stream().distinct().count()).isEqualTo(10_000);
        }

        @Test
        void reordersPacketsThatAreHeldBack() {
            SimulatedNetwork subject = network(only(0, 0, 0.2));

            sendNumbers(subject, 1000);

            assertThat(received).hasSize(1000).isNotEqualTo(received.stream().sorted().toList());
        }

        @Test
        void healingMakesTheNetworkReliable() {
            SimulatedNetwork subject = network(only(0.5, 0.5, 0.5));
            subject.heal();

            sendNumbers(subject, 1000);

            assertThat(received).hasSize(1000).doesNotHaveDuplicates();
        }
    }
}
