package dev.tandem.saga.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.BranchReply;
import dev.tandem.saga.protocol.ProtocolJson;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The participant's handler through a real inbox: the barrier in the same commit, from the barrier states it committed. */
@DisplayName("A participant")
class ParticipantTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final EventStore store = new InMemoryEventStore();
    private static final StreamId EFFECTS = StreamId.of("effects");

    private final AtomicInteger actions = new AtomicInteger();
    private final AtomicInteger compensations = new AtomicInteger();
    private final AtomicInteger confirms = new AtomicInteger();
    private final List<Commit> toldOf = new ArrayList<>();
    private final Participant participant = participant();
    private final InboxConsumer inbox = new InboxConsumer(store, "bank/commands", participant, InboxOptions.defaults());

    /** A new instance of the bank's participant on the same store: what a restart makes, knowing no barrier state. */
    private Participant participant() {
        return Participant.builder("bank", store)
                .on("debit", ctx -> {
                    actions.incrementAndGet();
                    return BranchResult.succeeded(effect("Debited"));
                })
                .on("refund", ctx -> {
                    compensations.incrementAndGet();
                    return BranchResult.succeeded(effect("Refunded"));
                })
                .on("settle", ctx -> {
                    confirms.incrementAndGet();
                    return BranchResult.succeeded(effect("Settled"));
                })
                .afterCommit(toldOf::add)
                .build();
    }

    /** A handler's business write: one event of {@code type} on the effects stream. */
    private static StreamWrite effect(String type) {
        return new StreamWrite(EFFECTS, ExpectedVersion.any(), List.of(NewEvent.json(type, Map.of())));
    }

    /** The business writes that took effect, in order. */
    private List<String> effects() {
        return store.readStream(EFFECTS, 1, ReadDirection.FORWARD, 100).stream().map(RecordedEvent::type).toList();
    }

    private static Message command(Phase phase, String operation) {
        BranchCommand c = new BranchCommand("t1", "transfer", 0, "debit", phase, operation, 1, "{}", "coordinator", NOW.plusSeconds(60), NOW);
        return new Message(UUID.randomUUID(), "coordinator", "bank", "t1", 1, NOW, BranchCommand.TYPE, Json.CONTENT_TYPE,
                ProtocolJson.encode(c), Metadata.EMPTY);
    }

    @Test
    void confirmsOnceFromTheBarrierStateItCommitted() throws Exception {
        inbox.onMessages(List.of(command(Phase.ACTION, "debit")));
        inbox.onMessages(List.of(command(Phase.CONFIRM, "settle")));
        inbox.onMessages(List.of(command(Phase.CONFIRM, "settle"))); // a new delivery of the same confirm

        assertThat(actions).hasValue(1);
        assertThat(confirms).hasValue(1);
        assertThat(participant.barrierState("t1", 0).confirmed()).isTrue();
        assertThat(store.streamVersion(participant.barrierStream("t1", 0))).as("one barrier record per answered command").isEqualTo(3);
        assertThat(toldOf).as("after-commit listeners hear of each handling commit").hasSize(3);
    }

    @Test
    void answersARedeliveredCommandFromItsBarrierWithoutAnInboxRecord() throws Exception {
        Message debit = command(Phase.ACTION, "debit");
        inbox.onMessages(List.of(debit));
        inbox.onMessages(List.of(debit)); // redelivered to the same instance
        new InboxConsumer(store, "bank/commands", participant(), InboxOptions.defaults()).onMessages(List.of(debit)); // and after a restart

        assertThat(effects()).as("debited once").containsExactly("Debited");
        assertThat(actions).as("the restarted instance may run the handler, on a barrier it takes as new; its commit is refused")
                .hasValueBetween(1, 2);
        assertThat(inbox.handled(debit.id())).as("the barrier de-duplicates branch commands: no inbox record").isFalse();
        List<RecordedEvent> answers = store.readStream(participant.barrierStream("t1", 0), 1, ReadDirection.FORWARD, 10);
        assertThat(answers).as("every delivery answered, each time with the first outcome").hasSize(3)
                .allSatisfy(e -> assertThat(ProtocolJson.decode(e.payload(), BranchReply.class).outcome()).isEqualTo(ReplyOutcome.SUCCEEDED))
                .allSatisfy(e -> assertThat(e.route().destination()).isEqualTo("coordinator"));
    }

    @Test
    void decidesABranchsFirstCommandWithoutReadingItsBarrierYetNeverHangsAnActionAfterItsCompensation() throws Exception {
        // another instance of this participant recorded a null compensation for the branch before its action arrived
        BarrierEvent nullCompensation = Barrier.recordOutcome(Phase.COMPENSATION, ReplyOutcome.SUCCEEDED, null);
        store.commit(Commit.of(participant.barrierStream("t1", 0), ExpectedVersion.noStream(), List.of(new NewEvent(NewEvent.newId(),
                "tandem.saga.BranchReply", ProtocolJson.encode(BarrierRecord.of(nullCompensation, "t1", 0, 1)), Json.CONTENT_TYPE, Metadata.EMPTY, null))));

        inbox.onMessages(List.of(command(Phase.ACTION, "debit")));

        assertThat(actions).as("decided on a new barrier, without a read").hasValue(1);
        assertThat(effects()).as("its commit expected a new barrier stream and was refused; the re-run read the compensation").isEmpty();
        assertThat(participant.barrierState("t1", 0).action()).isEqualTo(ActionState.REFUSED);
    }

    @Test
    void takesNoEffectFromWhatWasAppendedToTheBarrierBehindTheStateItKnows() throws Exception {
        inbox.onMessages(List.of(command(Phase.ACTION, "debit")));
        // another instance of this participant compensated the branch meanwhile
        BarrierEvent compensated = Barrier.recordOutcome(Phase.COMPENSATION, ReplyOutcome.SUCCEEDED, null);
        store.commit(Commit.of(participant.barrierStream("t1", 0), ExpectedVersion.exactly(1), List.of(new NewEvent(NewEvent.newId(),
                "tandem.saga.BranchReply", ProtocolJson.encode(BarrierRecord.of(compensated, "t1", 0, 1)), Json.CONTENT_TYPE, Metadata.EMPTY, null))));

        inbox.onMessages(List.of(command(Phase.COMPENSATION, "refund")));
        inbox.onMessages(List.of(command(Phase.CONFIRM, "settle")));

        // the refund may run once on the state this instance knew, but its commit expects that state's version: refused
        assertThat(compensations).hasValueLessThanOrEqualTo(1);
        assertThat(effects()).as("compensated once, by the other instance; no confirm after a compensation").containsExactly("Debited");
        assertThat(confirms).hasValue(0);
        assertThat(participant.barrierState("t1", 0).compensated()).isTrue();
        assertThat(participant.barrierState("t1", 0).confirmed()).isFalse();
    }

    @Test
    void refusesAnActionThatArrivesAfterItsCompensation() throws Exception {
        inbox.onMessages(List.of(command(Phase.COMPENSATION, "refund")));
        inbox.onMessages(List.of(command(Phase.ACTION, "debit")));

        assertThat(compensations).as("a null compensation runs no handler").hasValue(0);
        assertThat(actions).as("no hanging action").hasValue(0);
        assertThat(effects()).isEmpty();
        assertThat(participant.barrierState("t1", 0).nullCompensation()).isTrue();
        assertThat(participant.barrierState("t1", 0).action()).isEqualTo(ActionState.REFUSED);
    }
}
