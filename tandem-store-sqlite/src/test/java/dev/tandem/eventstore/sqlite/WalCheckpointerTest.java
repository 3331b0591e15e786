package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WalCheckpointerTest {

    private static final long MIN = WalCheckpointer.MIN_DELAY.toNanos();
    private static final long MAX = WalCheckpointer.MAX_DELAY.toNanos();

    @Test
    void checkpointsWhenTheLogWillReachTheTargetAtTheRateItGrew() {
        // 4,000 pages to go at 10,000 pages a second: 400 ms.
        assertThat(WalCheckpointer.delayNanos(5_000, 10_000, 9_000)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
    }

    @Test
    void checkpointsAtOnceOrNearlyWhenTheLogIsAtOrPastTheTarget() {
        assertThat(WalCheckpointer.delayNanos(9_000, 10_000, 9_000)).isEqualTo(MIN);
        assertThat(WalCheckpointer.delayNanos(25_000, 10_000, 9_000)).isEqualTo(MIN);
        assertThat(WalCheckpointer.delayNanos(8_999, 1_000_000, 9_000)).isEqualTo(MIN);
    }

    @Test
    void waitsAtMostTheLongestPauseWhenTheLogGrowsSlowlyOrItsRateIsUnknown() {
        assertThat(WalCheckpointer.delayNanos(100, 5, 9_000)).isEqualTo(MAX);
        assertThat(WalCheckpointer.delayNanos(100, 0, 9_000)).isEqualTo(MAX);
        assertThat(WalCheckpointer.delayNanos(-1, 0, 9_000)).isEqualTo(MAX); // the last checkpoint failed
    }
}
