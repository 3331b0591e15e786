package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory index of unindexed events: what readers find, after rollbacks and bulk-index rounds. */
class TailIndexTest {

    @Test
    void aReaderFindsTheCommittedPositionsOfAStreamAfterItsSnapshotsIndexedTo() {
        TailIndex tail = new TailIndex(10);
        tail.add("a", 11);
        tail.add("b", 12);
        tail.add("a", 13);
        tail.committed();

        assertThat(tail.positions("a", 10)).containsExactly(11, 13);
        assertThat(tail.positions("a", 11)).containsExactly(13);
        assertThat(tail.positions("b", 10)).containsExactly(12);
        assertThat(tail.positions("c", 10)).isEmpty();
        assertThat(tail.retainedAfter()).isEqualTo(10);
    }

    @Test
    void aRolledBackTransactionLeavesNothingBehindAndItsPositionsCanBeReused() {
        TailIndex tail = new TailIndex(0);
        tail.add("a", 1);
        tail.committed();
        tail.add("a", 2);
        tail.add("b", 3);
        tail.add("a", 4);
        tail.rollback();
        tail.add("b", 2);
        tail.committed();

        assertThat(tail.positions("a", 0)).containsExactly(1);
        assertThat(tail.positions("b", 0)).containsExactly(2);
        assertThat(tail.size()).isEqualTo(2);
    }

    @Test
    void entriesOfARoundAreKeptUntilTheNextRoundSoSlightlyOlderSnapshotsStillFindThem() {
        TailIndex tail = new TailIndex(0);
        for (long p = 1; p <= 5; p++) {
            tail.add(p % 2 == 0 ? "even" : "odd", p);
        }
        tail.committed();
        tail.indexed(5); // the table now indexes 1..5; a snapshot from before still has indexed_to 0
        assertThat(tail.retainedAfter()).isZero();
        assertThat(tail.positions("odd", 0)).containsExactly(1, 3, 5);

        tail.add("odd", 6);
        tail.add("odd", 7);
        tail.committed();
        tail.indexed(7); // the round before (1..5) goes: a snapshot older than it must scan
        assertThat(tail.retainedAfter()).isEqualTo(5);
        assertThat(tail.positions("odd", 5)).containsExactly(6, 7);
        assertThat(tail.positions("even", 0)).isEmpty();
        assertThat(tail.size()).isEqualTo(2);
    }
}
