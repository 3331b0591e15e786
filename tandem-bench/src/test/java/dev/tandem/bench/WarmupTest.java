package dev.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmupTest {

    /** A virtual clock and compiler: each round of the workload moves the clock by its length and the compiler by a share of it. */
    private static final class Fake {
        long nanos;
        long compileMillis;
        final List<Duration> rounds = new ArrayList<>();
        final double[] shares;

        Fake(double... shares) {
            this.shares = shares;
        }

        Warmup.Outcome warm(Duration minimum, Duration limit) throws Exception {
            return new Warmup(() -> compileMillis, () -> nanos).warm(minimum, limit, d -> {
                double share = shares[Math.min(rounds.size(), shares.length - 1)];
                rounds.add(d);
                nanos += d.toNanos();
                compileMillis += Math.round(d.toMillis() * share);
            });
        }
    }

    @Test
    void stopsAtTheMinimumWhenTheCompilerHasAlreadySettled() throws Exception {
        Fake f = new Fake(0.30, 0.20, 0.01, 0.01, 0.01);
        Warmup.Outcome o = f.warm(Duration.ofSeconds(7), Duration.ofSeconds(60));
        assertThat(f.rounds).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(o.settled()).isTrue();
        assertThat(o.took()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.lastShare()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(o.describe()).contains("warm-up 7.0 s", "settled", "1.0%");
    }

    @Test
    void goesOnPastTheMinimumWhileTheCompilerIsBusy() throws Exception {
        Fake f = new Fake(0.30, 0.25, 0.01, 0.10, 0.019, 0.01);
        Warmup.Outcome o = f.warm(Duration.ofSeconds(4), Duration.ofSeconds(60));
        assertThat(f.rounds).as("a quiet round then a busy one starts the count again").hasSize(6);
        assertThat(o.settled()).isTrue();
        assertThat(o.took()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void stopsAtTheLimitWhenTheCompilerNeverSettles() throws Exception {
        Fake f = new Fake(0.30);
        Warmup.Outcome o = f.warm(Duration.ofSeconds(4), Duration.ofSeconds(9));
        assertThat(o.settled()).isFalse();
        assertThat(o.took()).isEqualTo(Duration.ofSeconds(10)); // the round that crossed the limit is finished
        assertThat(o.describe()).contains("stopped at the limit", "30.0%");
    }

    @Test
    void aLimitBelowTheMinimumMeansTheMinimumOnly() throws Exception {
        Fake f = new Fake(0.30);
        Warmup.Outcome o = f.warm(Duration.ofMillis(500), Duration.ZERO);
        assertThat(f.rounds).containsExactly(Duration.ofMillis(500));
        assertThat(o.settled()).isFalse();
    }

    @Test
    void noWarmUpAtAllRunsNothing() throws Exception {
        Fake f = new Fake(0.30);
        Warmup.Outcome o = f.warm(Duration.ZERO, Duration.ZERO);
        assertThat(f.rounds).isEmpty();
        assertThat(o.took()).isEqualTo(Duration.ZERO);
    }

    @Test
    void withoutCompileTimesItRunsTheMinimumOnly() throws Exception {
        List<Duration> rounds = new ArrayList<>();
        long[] nanos = {0};
        Warmup.Outcome o = new Warmup(() -> -1, () -> nanos[0]).warm(Duration.ofSeconds(3), Duration.ofSeconds(60), d -> {
            rounds.add(d);
            nanos[0] += d.toNanos();
        });
        assertThat(rounds).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(o.settled()).isFalse();
        assertThat(o.describe()).contains("does not tell");
    }

    @Test
    void refusesNegativeTimes() {
        assertThatThrownBy(() -> new Fake(0).warm(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }

    @Test
    void hotSpotTellsItsCompileAndCollectionTimesAndTheirSharesOfAMeasuredTime() {
        Warmup.JvmActivity activity = new Warmup.JvmActivity();
        assertThat(Warmup.JvmActivity.compileMillis()).isNotNegative();
        assertThat(Warmup.JvmActivity.gcMillis()).isNotNegative();
        assertThat(activity.compileShare()).isNotNegative();
        assertThat(activity.gcShare()).isNotNegative();
        assertThat(activity.describe()).matches("the JIT compiler ran for \\d+\\.\\d% and garbage collections for \\d+\\.\\d% of the measured time");
    }
}
