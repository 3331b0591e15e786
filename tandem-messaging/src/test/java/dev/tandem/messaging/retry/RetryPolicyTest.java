package dev.tandem.messaging.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A retry policy")
class RetryPolicyTest {

    @Nested
    @DisplayName("without jitter")
    class Exact {

        private final RetryPolicy subject = new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(70), 0, new Random(1));

        @Test
        void doublesTheDelayFromTheBaseUpToTheCap() {
            assertThat(subject.delayAfter(1)).isEqualTo(Duration.ofMillis(10));
            assertThat(subject.delayAfter(2)).isEqualTo(Duration.ofMillis(20));
            assertThat(subject.delayAfter(3)).isEqualTo(Duration.ofMillis(40));
            assertThat(subject.delayAfter(4)).isEqualTo(Duration.ofMillis(70));
            assertThat(subject.delayAfter(1_000)).isEqualTo(Duration.ofMillis(70));
        }

        @Test
        void allowsAttemptsUpToItsMaximum() {
            assertThat(subject.allowsRetry(4)).isTrue();
            assertThat(subject.allowsRetry(5)).isFalse();
        }
    }

    @Test
    void takesUpToTheJitterFractionOffEachDelayReproduciblyForASeed() {
        RetryPolicy a = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, new Random(42));
        RetryPolicy b = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, new Random(42));

        for (int i = 1; i <= 20; i++) {
            Duration d = a.delayAfter(3);
            assertThat(d).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(b.delayAfter(3)).isEqualTo(d);
        }
    }

    @Test
    void tellsTransientFromNonTransientFailures() {
        assertThat(RetryPolicy.isTransient(new StoreUnavailableException("down", null))).isTrue();
        assertThat(RetryPolicy.isTransient(new IllegalStateException("unclassified"))).isTrue();
        assertThat(RetryPolicy.isTransient(new NonTransientException("bad"))).isFalse();
        assertThat(RetryPolicy.isTransient(new StackOverflowError())).isFalse();
    }

    @Test
    void refusesSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0, new Random()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0, new Random()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cap");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 1.5, new Random()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.defaults().delayAfter(0)).isInstanceOf(InvalidInputException.class);
    }
}
