package dev.tandem.simulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private static Scheduler scheduler(long seed) {
        return new Scheduler(new SplittableRandom(seed), new VirtualClock(), new Trace(10));
    }

    @Nested
    class Ordering {

        @Test
        void runsEventsInVirtualTimeOrderWhateverTheSchedulingOrder() {
            Scheduler subject = scheduler(1);
            List<String> ran = new ArrayList<>();
            subject.after(Duration.ofMillis(30), "c", () -> ran.add("c"));
            subject.after(Duration.ofMillis(10), "a", () -> ran.add("a"));
            subject.after(Duration.ofMillis(20), "b", () -> ran.add("b"));

            while (subject.step()) {
                // drain
            }

            assertThat(ran).containsExactly("a", "b", "c");
            assertThat(subject.clock().nanos()).isEqualTo(Duration.ofMillis(30).toNanos());
        }

        @Test
        void advancesTheClockToEachEventsDueTimeBeforeRunningIt() {
            Scheduler subject = scheduler(1);
            List<Long> seen = new ArrayList<>();
            subject.after(Duration.ofMillis(5), "x", () -> seen.add(subject.clock().nanos()));
            subject.after(Duration.ofSeconds(2), "y", () -> seen.add(subject.clock().nanos()));

            subject.runUntil(Duration.ofSeconds(10).toNanos());

            assertThat(seen).containsExactly(5_000_000L, 2_000_000_000L);
            assertThat(subject.clock().instant()).isEqualTo(VirtualClock.EPOCH.plusSeconds(10));
        }

        @Test
        void breaksTiesBetweenSimultaneousEventsDifferentlyForDifferentSeeds() {
            List<List<Integer>> orders = new ArrayList<>();
            for (long seed = 0; seed < 20; seed++) {
                Scheduler subject = scheduler(seed);
                List<Integer> ran = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int n = i;
                    subject.after(Duration.ofMillis(1), "e" + i, () -> ran.add(n));
                }
                while (subject.step()) {
                    // drain
                }
                orders.add(ran);
            }

            assertThat(orders).allSatisfy(o -> assertThat(o).containsExactlyInAnyOrder(0, 1, 2, 3, 4));
            assertThat(orders.stream().distinct().count()).isGreaterThan(5);
        }

        @Test
        void rejectsANegativeDelay() {
            assertThatThrownBy(() -> scheduler(1).after(Duration.ofMillis(-1), "x", () -> {}))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("delay");
        }
    }

    @Nested
    class Determinism {

        @Test
        void theSameSeedRunsTheSameInterleavingWithTheSameDigest() {
            assertThat(chaoticRun(42)).isEqualTo(chaoticRun(42));
            assertThat(chaoticRun(42)).isNotEqualTo(chaoticRun(43));
        }

        private long chaoticRun(long seed) {
            Scheduler subject = scheduler(seed);
            for (int i = 0; i < 50; i++) {
                spawn(subject, "root" + i, 3);
            }
            while (subject.step()) {
                // drain
            }
            return subject.trace().digest();
        }

        private void spawn(Scheduler s, String name, int depth) {
            s.after(Duration.ofMillis(s.random().nextInt(3)), name, () -> {
                if (depth > 0) {
                    spawn(s, name + "." + depth, depth - 1);
                }
            });
        }
    }
}
