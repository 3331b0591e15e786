package dev.tandem.eventstore.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Committed states")
class CommittedStatesTest {

    private static final StreamId A = StreamId.of("a");
    private static final StreamId B = StreamId.of("b");

    private final CommittedStates<String> states = new CommittedStates<>(100);

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
        states.read(A, "v5", 5);
        states.read(A, "v4", 4);

        assertThat(states.get(A)).isEqualTo(new CommittedStates.Versioned<>("v5", 5L));
    }

    @Test
    void startsOverBeyondItsBound() {
        CommittedStates<String> small = new CommittedStates<>(2);
        small.read(A, "a", 1);
        small.read(B, "b", 1);
        small.read(StreamId.of("c"), "c", 1);

        assertThat(small.get(A)).isNull();
        assertThat(small.get(StreamId.of("c")).state()).isEqualTo("c");
    }

    @Test
    void refusesANonPositiveBound() {
        assertThatThrownBy(() -> new CommittedStates<String>(0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("max");
    }
}
