package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory index of unindexed events: what readers and the writer find, after rollbacks and bulk-index rounds. */
class TailIndexTest {

    @Test
    void aReaderFindsTheCommittedPositionsAndVersionOfAStreamAfterItsSnapshotsIndexedTo() {
        TailIndex tail = new TailIndex(10);
        tail.add("a", 11, 4);
        tail.add("b", 12, 1);
        tail.add("a", 13, 5);
        tail.committed();

        assertThat(tail.positions("a", 10)).containsExactly(11, 13);
        assertThat(tail.positions("a", 11)).containsExactly(13);
        assertThat(tail.positions("b", 10)).containsExactly(12);
        assertThat(tail.positions("c", 10)).isEmpty();
        assertThat(tail.version("a", 10, 13)).isEqualTo(5);
        assertThat(tail.version("a", 10, 12)).as("a snapshot that ends at 12 holds a at version 4").isEqualTo(4);
        assertThat(tail.version("a", 11, 12)).as("nothing of a after 11 up to 12").isZero();
        assertThat(tail.version("c", 10, 13)).isZero();
        assertThat(tail.latestVersion("a")).isEqualTo(5);
        assertThat(tail.retainedAfter()).isEqualTo(10);
        assertThat(tail.knownThrough()).isEqualTo(13);
    }

    @Test
    void aRolledBackTransactionLeavesNothingBehindAndItsPositionsCanBeReused() {
        TailIndex tail = new TailIndex(0);
        tail.add("a", 1, 1);
        tail.committed();
        tail.add("a", 2, 2);
        tail.add("b", 3, 1);
        tail.add("a", 4, 3);
        assertThat(tail.latestVersion("a")).as("the writer plans on its own pending entries").isEqualTo(3);
        tail.rollback();
        assertThat(tail.knownThrough()).isEqualTo(1);
        tail.add("b", 2, 1);
        tail.committed();

        assertThat(tail.positions("a", 0)).containsExactly(1);
        assertThat(tail.positions("b", 0)).containsExactly(2);
        assertThat(tail.latestVersion("a")).isEqualTo(1);
        assertThat(tail.size()).isEqualTo(2);
    }

    @Test
    void anotherWritersEventsCountAsCommittedAndSurviveARollback() {
        TailIndex tail = new TailIndex(5);
        tail.addCommitted("x", 6, 3);
        tail.add("x", 7, 4);
        tail.rollback();

        assertThat(tail.positions("x", 5)).containsExactly(6);
        assertThat(tail.latestVersion("x")).isEqualTo(3);
        assertThat(tail.knownThrough()).isEqualTo(6);
    }

    @Test
    void entriesOfARoundAreKeptUntilTheNextRoundSoSlightlyOlderSnapshotsStillFindThem() {
        TailIndex tail = new TailIndex(0);
        for (long p = 1; p <= 5; p++) {
            tail.add(p % 2 == 0 ? "even" : "odd", p, (p + 1) / 2);
        }
        tail.committed();
        tail.indexed(5); // the table now indexes 1..5; a snapshot from before still has indexed_to 0
        assertThat(tail.retainedAfter()).isZero();
        assertThat(tail.positions("odd", 0)).containsExactly(1, 3, 5);

        tail.add("odd", 6, 4);
        tail.add("odd", 7, 5);
        tail.committed();
        tail.indexed(7); // the round before (1..5) goes: a snapshot older than it must scan
        assertThat(tail.retainedAfter()).isEqualTo(5);
        assertThat(tail.positions("odd", 5)).containsExactly(6, 7);
        assertThat(tail.positions("even", 0)).isEmpty();
        assertThat(tail.latestVersion("even")).as("the table holds it now").isZero();
        assertThat(tail.latestVersion("odd")).isEqualTo(5);
        assertThat(tail.size()).isEqualTo(2);
    }
}
