package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimerIndexTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final TimerIndex subject = new TimerIndex();

    @Test
    void aSettingFromAnOlderVersionNeitherMovesNorClearsANewerOne() {
        subject.schedule("t1", 7, Optional.of(T0.plusSeconds(1)));

        subject.schedule("t1", 5, Optional.of(T0.plusSeconds(60)));
        subject.schedule("t1", 6, Optional.empty());

        assertThat(subject.takeDue(T0.plusSeconds(1))).containsExactly("t1");
    }

    @Test
    void aNewerVersionReplacesTheDueInstantOrClearsIt() {
        subject.schedule("t1", 1, Optional.of(T0.plusSeconds(1)));
        subject.schedule("t1", 2, Optional.of(T0.plusSeconds(5)));

        assertThat(subject.takeDue(T0.plusSeconds(4))).isEmpty();
        assertThat(subject.next()).contains(T0.plusSeconds(5));
        subject.schedule("t1", 3, Optional.empty());
        assertThat(subject.next()).isEmpty();
        assertThat(subject.size()).isZero();
    }

    @Test
    void aTakenTimerKeepsItsVersionSoAStaleSettingCannotComeBackAfterIt() {
        subject.schedule("t1", 4, Optional.of(T0));
        assertThat(subject.takeDue(T0)).containsExactly("t1");

        subject.schedule("t1", 3, Optional.of(T0.plusSeconds(30)));
        assertThat(subject.next()).isEmpty();
        subject.schedule("t1", 4, Optional.of(T0.plusSeconds(2)));
        assertThat(subject.next()).contains(T0.plusSeconds(2));
    }

    @Test
    void aRetryAfterAFailedFiringNeverPostponesAnEarlierTimer() {
        subject.schedule("t1", 2, Optional.of(T0.plusMillis(50)));
        subject.retryAt("t1", T0.plusMillis(100));
        assertThat(subject.next()).contains(T0.plusMillis(50));

        assertThat(subject.takeDue(T0.plusMillis(50))).containsExactly("t1");
        subject.retryAt("t1", T0.plusMillis(100));
        assertThat(subject.takeDue(T0.plusMillis(100))).containsExactly("t1");
    }
}
