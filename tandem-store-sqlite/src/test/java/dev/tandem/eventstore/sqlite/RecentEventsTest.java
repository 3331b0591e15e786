package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writer's recent events: it answers only for a run of positions it holds with none missing. */
class RecentEventsTest {

    private static List<RecordedEvent> at(long from, long to) {
        List<RecordedEvent> events = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            events.add(new RecordedEvent(UUID.randomUUID(), StreamId.of("s", p), 1, p, "T", new byte[0], "application/json",
                    Metadata.EMPTY, null, Instant.EPOCH));
        }
        return events;
    }

    private static List<Long> positions(List<RecordedEvent> events) {
        return events == null ? null : events.stream().map(RecordedEvent::position).toList();
    }

    @Test
    void answersFromConsecutiveBatchesUpToTheLimit() {
        RecentEvents recent = new RecentEvents(16);
        recent.committed(0, at(1, 3));
        recent.committed(3, at(4, 5));

        assertThat(positions(recent.after(0, 10))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(positions(recent.after(2, 2))).containsExactly(3L, 4L);
        assertThat(recent.after(5, 10)).as("nothing after the last: the database may hold another writer's").isNull();
    }

    @Test
    void startsAgainAfterAGapSoItNeverAnswersAcrossEventsItDidNotSee() {
        RecentEvents recent = new RecentEvents(16);
        recent.committed(0, at(1, 3));
        recent.committed(5, at(6, 7)); // positions 4 and 5 are another writer's

        assertThat(recent.after(0, 10)).isNull();
        assertThat(recent.after(3, 10)).isNull();
        assertThat(positions(recent.after(5, 10))).containsExactly(6L, 7L);
    }

    @Test
    void startsWithTheFirstBatchOfAFileThatHeldEventsBefore() {
        RecentEvents recent = new RecentEvents(16);
        recent.committed(100, at(101, 102));

        assertThat(recent.after(99, 10)).isNull();
        assertThat(positions(recent.after(100, 10))).containsExactly(101L, 102L);
    }

    @Test
    void keepsOnlyItsCapacityOfTheNewest() {
        RecentEvents recent = new RecentEvents(4);
        recent.committed(0, at(1, 3));
        recent.committed(3, at(4, 6));

        assertThat(recent.after(1, 10)).as("positions 1 and 2 were overwritten").isNull();
        assertThat(positions(recent.after(2, 10))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void answersNothingBeforeItsFirstBatch() {
        assertThat(new RecentEvents(8).after(0, 10)).isNull();
    }

    @Test
    void tellsThatNothingOfItsOwnFollowsItsLastEventOnlyOnceItHoldsARun() {
        RecentEvents recent = new RecentEvents(16);
        assertThat(recent.ownAfter(0, 10)).as("nothing committed yet: the file may hold events").isNull();

        recent.committed(100, at(101, 102));

        assertThat(recent.ownAfter(102, 10)).as("nothing of its own after its last").isEmpty();
        assertThat(positions(recent.ownAfter(101, 10))).containsExactly(102L);
        assertThat(recent.ownAfter(100, 10)).as("what precedes the run, and the run itself, as after()").isNotNull();
        assertThat(recent.ownAfter(99, 10)).isNull();
        assertThat(recent.ownAfter(103, 10)).as("beyond its last: another writer's position").isNull();
    }
}
