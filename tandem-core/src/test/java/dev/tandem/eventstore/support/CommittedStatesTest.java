package dev.tandem.eventstore.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Committed states")
class CommittedStatesTest {

    private static final StreamId A = StreamId.of("a");
    private static final StreamId B = StreamId.of("b");

    /** Folds event types onto the state, so the result shows where the fold started. */
    private static final BiFunction<String, RecordedEvent, String> FOLD = (state, e) -> state + e.type();

    private final CommittedStates<String> states = new CommittedStates<>(100);
    private final InMemoryEventStore store = new InMemoryEventStore();

    /** Commits an event of {@code type} to A at {@code version - 1}, told to the states as reaching {@code state}. */
    private void commitMine(String type, String state, long version) {
        NewEvent mine = NewEvent.json(type, Map.of());
        Commit commit = Commit.of(A, ExpectedVersion.exactly(version - 1), List.of(mine));
        store.commit(commit);
        states.expect(A, mine.id(), state, version);
        states.committed(commit);
    }

    private static NewEvent event() {
        return NewEvent.json("E", Map.of());
    }

    @Test
    void anExpectedStateBecomesKnownOnlyWhenItsCommitIsDurable() {
        NewEvent e = event();
        states.expect(A, e.id(), "after", 3);

        assertThat(states.get(A)).as("before the commit").isNull();

        states.committed(Commit.of(A, ExpectedVersion.exactly(2), List.of(e)));

        assertThat(states.get(A)).isEqualTo(new CommittedStates.Versioned<>("after", 3L));
    }

    @Test
    void aCommitOfOtherEventsLeavesTheStreamUnknown() {
        NewEvent expected = event();
        states.expect(A, expected.id(), "mine", 1);

        states.committed(Commit.of(A, ExpectedVersion.exactly(0), List.of(event()))); // someone else's append won

        assertThat(states.get(A)).isNull();
    }

    @Test
    void keysTheStateByTheLastEventOfEachWrite() {
        NewEvent a1 = event();
        NewEvent a2 = event();
        NewEvent b1 = event();
        states.expect(A, a2.id(), "a2", 2);
        states.expect(B, b1.id(), "b1", 1);

        states.committed(Commit.builder().append(A, ExpectedVersion.exactly(0), List.of(a1, a2)).append(B, ExpectedVersion.any(), List.of(b1)).build());

        assertThat(states.get(A).state()).isEqualTo("a2");
        assertThat(states.get(B).state()).isEqualTo("b1");
    }

    @Test
    void neverStepsBackToAnOlderVersion() {
        NewEvent newer = event();
        NewEvent older = event();
        states.expect(A, newer.id(), "v5", 5);
        states.expect(A, older.id(), "v4", 4);

        states.committed(Commit.of(A, ExpectedVersion.exactly(4), List.of(newer)));
        states.committed(Commit.of(A, ExpectedVersion.exactly(3), List.of(older))); // told of late

        assertThat(states.get(A)).isEqualTo(new CommittedStates.Versioned<>("v5", 5L));
    }

    @Test
    void startsOverBeyondItsBound() {
        CommittedStates<String> small = new CommittedStates<>(2);
        for (StreamId s : List.of(A, B, StreamId.of("c"))) {
            NewEvent e = event();
            small.expect(s, e.id(), s.value(), 1);
            small.committed(Commit.of(s, ExpectedVersion.exactly(0), List.of(e)));
        }

        assertThat(small.get(A)).isNull();
        assertThat(small.get(StreamId.of("c")).state()).isEqualTo("c");
    }

    @Nested
    @DisplayName("loading from a store")
    class Loading {

        private CommittedStates.Versioned<String> load() {
            return states.load(store, A, "", 2, FOLD);
        }

        @Test
        void foldsTheWholeStreamWhenNoStateIsKnown() {
            store.append(A, ExpectedVersion.any(), List.of(NewEvent.json("x", Map.of()), NewEvent.json("y", Map.of()), NewEvent.json("z", Map.of())));

            assertThat(load()).as("across pages of 2").isEqualTo(new CommittedStates.Versioned<>("xyz", 3L));
            assertThat(states.get(A)).as("kept for the next load").isEqualTo(new CommittedStates.Versioned<>("xyz", 3L));
        }

        @Test
        void foldsOnlyWhatCameAfterTheCommittedState() {
            commitMine("m", "committed", 1);
            store.append(A, ExpectedVersion.exactly(1), List.of(NewEvent.json("n", Map.of())));

            assertThat(load()).isEqualTo(new CommittedStates.Versioned<>("committedn", 2L));
        }
    }

    @Nested
    @DisplayName("deciding on the current state")
    class Current {

        private CommittedStates.Versioned<String> current() {
            return states.current(store, A, "", 2, FOLD);
        }

        private CommittedStates.Versioned<String> currentOrNew() {
            return states.currentOrNew(store, A, "", 2, FOLD);
        }

        @Test
        void usesTheCommittedStateWithoutReadingWhatOthersAppendedSince() {
            commitMine("m", "mine", 1);
            store.append(A, ExpectedVersion.exactly(1), List.of(NewEvent.json("x", Map.of()))); // another writer

            assertThat(current()).as("a write decided on it expects version 1 and conflicts").isEqualTo(new CommittedStates.Versioned<>("mine", 1L));
            assertThat(states.load(store, A, "", 2, FOLD)).as("a query reads")
                    .isEqualTo(new CommittedStates.Versioned<>("minex", 2L));
        }

        @Test
        void readsWhileAWriteOfItsOwnIsInDoubtSoAFailedWriteIsReDecidedOnTheStore() {
            commitMine("m", "mine", 1);
            store.append(A, ExpectedVersion.exactly(1), List.of(NewEvent.json("x", Map.of())));
            NewEvent refused = NewEvent.json("r", Map.of());
            states.expect(A, refused.id(), "mine+r", 2); // decided on version 1: its commit conflicts and is never reported

            assertThat(current()).isEqualTo(new CommittedStates.Versioned<>("minex", 2L));
            assertThat(current()).as("read once: known again").isEqualTo(new CommittedStates.Versioned<>("minex", 2L));
        }

        @Test
        void readsAStreamItDoesNotKnow() {
            store.append(A, ExpectedVersion.any(), List.of(NewEvent.json("x", Map.of()), NewEvent.json("y", Map.of()), NewEvent.json("z", Map.of())));

            assertThat(current()).isEqualTo(new CommittedStates.Versioned<>("xyz", 3L));
        }

        @Test
        void takesAnUnknownStreamToBeNewWhenAskedAndReadsOnceThatWriteIsInDoubt() {
            store.append(A, ExpectedVersion.any(), List.of(NewEvent.json("x", Map.of())));

            assertThat(currentOrNew()).as("no read: a write expecting version 0 conflicts").isEqualTo(new CommittedStates.Versioned<>("", 0L));
            states.expect(A, NewEvent.newId(), "first", 1); // that write, refused
            assertThat(currentOrNew()).isEqualTo(new CommittedStates.Versioned<>("x", 1L));
        }
    }

    @Nested
    @DisplayName("deciding once a write in flight has settled")
    class CurrentOrWait {

        @Test
        void asksToWaitWhileItsOwnWriteIsInFlightAndThenUsesTheCommittedStateWithoutAReading() {
            commitMine("m", "mine", 1);
            NewEvent next = NewEvent.json("n", Map.of());
            Commit commit = Commit.of(A, ExpectedVersion.exactly(1), List.of(next));
            states.expect(A, next.id(), "mine+n", 2);

            assertThatThrownBy(() -> states.currentOrWait(store, A, "", 2, FOLD)).isInstanceOf(WriteInFlightException.class)
                    .satisfies(e -> assertThat(((WriteInFlightException) e).stream()).isEqualTo(A));
            store.commit(commit);
            store.append(A, ExpectedVersion.exactly(2), List.of(NewEvent.json("x", Map.of()))); // another writer
            states.committed(commit);

            assertThat(states.currentOrWait(store, A, "", 2, FOLD)).as("known: no read, so the other writer's event is not seen")
                    .isEqualTo(new CommittedStates.Versioned<>("mine+n", 2L));
        }

        @Test
        void readsOnceTheWriteHasBeenInDoubtLongerThanTheSettleWait() {
            CommittedStates<String> impatient = new CommittedStates<>(100, Duration.ZERO);
            store.append(A, ExpectedVersion.any(), List.of(NewEvent.json("x", Map.of())));
            impatient.expect(A, NewEvent.newId(), "refused", 1); // decided on nothing: its commit conflicts and is never reported

            assertThat(impatient.currentOrWait(store, A, "", 2, FOLD)).isEqualTo(new CommittedStates.Versioned<>("x", 1L));
            assertThat(impatient.currentOrWait(store, A, "", 2, FOLD)).as("read once: known again").isEqualTo(new CommittedStates.Versioned<>("x", 1L));
        }

        @Test
        void readsAtOnceWhenTheWriteInFlightIsReportedFailed() {
            commitMine("m", "mine", 1);
            store.append(A, ExpectedVersion.exactly(1), List.of(NewEvent.json("x", Map.of()))); // another writer
            NewEvent refused = NewEvent.json("r", Map.of());
            Commit attempt = Commit.of(A, ExpectedVersion.exactly(1), List.of(refused));
            states.expect(A, refused.id(), "mine+r", 2);
            assertThatThrownBy(() -> states.currentOrWait(store, A, "", 2, FOLD)).isInstanceOf(WriteInFlightException.class);

            states.abandoned(attempt);

            assertThat(states.currentOrWait(store, A, "", 2, FOLD)).as("read, not waited for").isEqualTo(new CommittedStates.Versioned<>("minex", 2L));
            states.committed(attempt); // a late report of the abandoned attempt changes nothing
            assertThat(states.get(A)).isEqualTo(new CommittedStates.Versioned<>("minex", 2L));
        }

        @Test
        void readsAStreamItDoesNotKnowAndWaitsOnlyForThatStream() {
            store.append(A, ExpectedVersion.any(), List.of(NewEvent.json("x", Map.of()), NewEvent.json("y", Map.of())));
            states.expect(B, NewEvent.newId(), "b", 1);

            assertThat(states.currentOrWait(store, A, "", 2, FOLD)).isEqualTo(new CommittedStates.Versioned<>("xy", 2L));
            assertThatThrownBy(() -> states.currentOrWait(store, B, "", 2, FOLD)).isInstanceOf(WriteInFlightException.class);
        }
    }

    @Test
    void refusesANegativeSettleWait() {
        assertThatThrownBy(() -> new CommittedStates<String>(1, Duration.ofMillis(-1))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("settleWait");
    }

    @Test
    void refusesANonPositiveBound() {
        assertThatThrownBy(() -> new CommittedStates<String>(0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("max");
    }
}
