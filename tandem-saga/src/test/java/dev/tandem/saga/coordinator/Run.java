package dev.tandem.saga.coordinator;

import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Drives one transaction through the decider in a test, keeping its events and state. */
final class Run {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final TransactionDecider decider;
    final List<TransactionEvent> events = new ArrayList<>();
    TransactionState state = TransactionDecider.initial();
    Instant now = T0;
    long seed = 42;

    Run(TransactionDecider decider) {
        this.decider = decider;
    }

    List<TransactionEvent> apply(TransactionCommand command) {
        List<TransactionEvent> out = decider.decide(state, command);
        state = decider.evolve(state, out);
        events.addAll(out);
        return out;
    }

    List<TransactionEvent> start(String id, String definition, String input) {
        return apply(new TransactionCommand.Start(id, definition, input, now));
    }

    List<TransactionEvent> reply(int step, Phase phase, int attempt, ReplyOutcome outcome) {
        return apply(new TransactionCommand.ReceiveReply(step, phase, attempt, outcome, "because", now, seed++));
    }

    /** Replies to the latest attempt of {@code phase} of {@code step}. */
    List<TransactionEvent> reply(int step, Phase phase, ReplyOutcome outcome) {
        return reply(step, phase, tx().step(step).leg(phase).attempt(), outcome);
    }

    List<TransactionEvent> advance(Duration d) {
        now = now.plus(d);
        return apply(new TransactionCommand.FireDueTimers(now, seed++));
    }

    Transaction tx() {
        return (Transaction) state;
    }

    List<StepRequested> requests(Phase phase) {
        return events.stream().filter(e -> e instanceof StepRequested r && r.phase() == phase).map(e -> (StepRequested) e).toList();
    }
}
