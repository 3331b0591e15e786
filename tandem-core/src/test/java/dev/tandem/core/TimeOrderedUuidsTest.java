package dev.tandem.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedUuidsTest {

    @Test
    void idsAreVersionSevenAndSortInCreationOrderWithinAndAcrossMilliseconds() {
        long[] millis = {1_000};
        InstantSource clock = () -> Instant.ofEpochMilli(millis[0]);
        TimeOrderedUuids subject = new TimeOrderedUuids(clock, new SplittableRandom(7));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            if (i % 100 == 0) {
                millis[0]++;
            }
            ids.add(subject.next());
        }

        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        List<UUID> sorted = new ArrayList<>(ids);
        sorted.sort((a, b) -> {
            int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
        });
        assertThat(sorted).containsExactlyElementsOf(ids);
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void staysMonotonicWhenTheClockStepsBack() {
        long[] millis = {5_000};
        TimeOrderedUuids subject = new TimeOrderedUuids(() -> Instant.ofEpochMilli(millis[0]), new SplittableRandom(1));
        UUID before = subject.next();
        millis[0] = 4_000;
        UUID after = subject.next();

        assertThat(Long.compareUnsigned(after.getMostSignificantBits(), before.getMostSignificantBits())).isGreaterThanOrEqualTo(0);
        assertThat(after).isNotEqualTo(before);
    }
}
