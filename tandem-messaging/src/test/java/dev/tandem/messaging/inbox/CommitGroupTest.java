package dev.tandem.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommitGroupTest {

    private static final StreamId S = StreamId.of("s");
    private static final StreamId T = StreamId.of("t");

    private static NewEvent event(String type) {
        return NewEvent.json(type, 1);
    }

    private static Commit handled(StreamId stream, ExpectedVersion expected, NewEvent e) {
        return Commit.builder().append(stream, expected, List.of(e)).inbox(new InboxEntry("c", UUID.randomUUID(), null)).build();
    }

    @Test
    void mergesBlindAppendsToOneStreamInTheirOrderWithEveryInboxEntry() {
        CommitGroup group = new CommitGroup(100);
        NewEvent a = event("A");
        NewEvent b = event("B");
        NewEvent c = event("C");
        Commit first = handled(S, ExpectedVersion.any(), a);
        Commit second = handled(S, ExpectedVersion.any(), b);
        Commit third = Commit.builder().append(T, ExpectedVersion.exactly(3), List.of(c)).checkpoint("p", 7).build();

        assertThat(group.add(first)).isTrue();
        assertThat(group.add(second)).isTrue();
        assertThat(group.add(third)).isTrue();
        Commit merged = group.build();

        assertThat(group.size()).isEqualTo(3);
        assertThat(merged.writes()).containsExactly(new StreamWrite(S, ExpectedVersion.any(), List.of(a, b)),
                new StreamWrite(T, ExpectedVersion.exactly(3), List.of(c)));
        assertThat(merged.inbox()).containsExactly(first.inbox().getFirst(), second.inbox().getFirst());
        assertThat(merged.checkpoints()).isEqualTo(third.checkpoints());
    }

    @Test
    void refusesWhatWouldMeanSomethingElseMergedAndKeepsWhatItHad() {
        CommitGroup group = new CommitGroup(3);
        Commit exact = handled(S, ExpectedVersion.exactly(1), event("A"));
        assertThat(group.add(exact)).isTrue();

        assertThat(group.add(handled(S, ExpectedVersion.any(), event("B")))).as("an exact expectation then another write").isFalse();
        assertThat(group.add(Commit.builder().append(T, ExpectedVersion.any(), List.of(event("G"))).guard(S, ExpectedVersion.exactly(1)).build()))
                .as("a guard on a stream written before").isFalse();
        assertThat(group.add(Commit.builder().checkpoint("p", 1).guard(StreamId.of("g"), ExpectedVersion.any()).build())).isTrue();
        assertThat(group.add(Commit.builder().checkpoint("p", 2).build())).as("one checkpoint twice").isFalse();
        assertThat(group.add(handled(StreamId.of("g"), ExpectedVersion.any(), event("W")))).as("a write to a stream guarded before").isFalse();
        assertThat(group.add(Commit.of(T, ExpectedVersion.any(), List.of(event("X"), event("Y"), event("Z"))))).as("past the event limit").isFalse();

        Commit merged = group.build();
        assertThat(group.size()).isEqualTo(2);
        assertThat(merged.writes()).isEqualTo(exact.writes());
        assertThat(merged.guards()).hasSize(1);
        assertThat(merged.checkpoints()).hasSize(1);
    }
}
