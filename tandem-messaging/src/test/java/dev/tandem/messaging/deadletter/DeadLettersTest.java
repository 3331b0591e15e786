package dev.tandem.messaging.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Dead letters")
class DeadLettersTest {

    private final EventStore store = new InMemoryEventStore();
    private final DeadLetters subject = new DeadLetters(store, "inbox-b");

    private static Message message() {
        return new Message(UUID.randomUUID(), "a", "b", "k", 7, Instant.parse("2026-01-01T00:00:00Z"), "Debit", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), new Metadata("corr", null, "tx-1", Map.of("traceparent", "00-abc-def-01")));
    }

    private DeadLetter park(Message m) {
        DeadLetter letter = new DeadLetter(m, DeadLetterReason.REJECTED, 2, "boom", null);
        store.commit(subject.park(Commit.builder(), letter).build());
        return letter;
    }

    @Test
    void keepsTheWholeMessageWithReasonAttemptsAndError() {
        Message m = message();
        park(m);

        DeadLetter listed = subject.list().getFirst();

        assertThat(listed.message()).isEqualTo(m);
        assertThat(listed.reason()).isEqualTo(DeadLetterReason.REJECTED);
        assertThat(listed.attempts()).isEqualTo(2);
        assertThat(listed.lastError()).isEqualTo("boom");
        assertThat(listed.parkedAt()).isNotNull();
    }

    @Test
    void parksAMessageOnlyOnce() {
        Message m = message();
        park(m);
        park(m); // the same record again is an idempotent repeat

        DeadLetter later = new DeadLetter(m, DeadLetterReason.OUT_OF_ATTEMPTS, 9, "other", null);
        assertThatThrownBy(() -> store.commit(subject.park(Commit.builder(), later).build())).isInstanceOf(DuplicateEventException.class);
        assertThat(subject.list()).singleElement().extracting(DeadLetter::attempts).isEqualTo(2);
    }

    @Test
    void recordsAFailedReplayAndKeepsTheMessageParked() {
        Message m = message();
        park(m);

        assertThatThrownBy(() -> subject.replay(m.id(), letter -> {
            throw new IllegalStateException("still broken");
        })).hasMessageContaining("replay of").hasRootCauseMessage("still broken");

        assertThat(subject.find(m.id())).isPresent();
        assertThat(store.readStream(subject.stream(), 1, ReadDirection.FORWARD, 10)).extracting(RecordedEvent::type)
                .containsExactly("MessageParked", "DeadLetterReplayFailed");
    }

    @Test
    void writesTheReplaysEffectsAtomicallyWithItsRecord() {
        Message m = message();
        park(m);

        subject.replay(m.id(), letter -> Commit.builder().checkpoint("replayed-" + letter.message().sequence(), 1));

        assertThat(subject.list()).isEmpty();
        assertThat(store.loadCheckpoint("replayed-7")).hasValue(1);
    }

    @Test
    void refusesToActOnAMessageThatIsNotParkedSayingWhy() {
        Message m = message();
        park(m);
        subject.discard(m.id(), "operator: duplicate of a manual fix");

        assertThatThrownBy(() -> subject.replay(m.id(), l -> Commit.builder()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("discarded");
        assertThatThrownBy(() -> subject.discard(UUID.randomUUID(), "x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("never parked");
        assertThatThrownBy(() -> subject.discard(m.id(), " ")).isInstanceOf(InvalidInputException.class).hasMessageContaining("note");
    }
}
