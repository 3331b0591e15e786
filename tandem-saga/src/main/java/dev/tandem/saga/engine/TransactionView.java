package dev.tandem.saga.engine;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.coordinator.LegStatus;
import dev.tandem.saga.coordinator.StepState;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.definition.StepDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator or a caller sees of one transaction: state, steps, definition version and timeline.
 *
 * @param input the input the transaction started with
 * @param trace the caller's correlation id and trace context it started with ({@link TraceContext#NONE} when none)
 * @param version the transaction stream's version this view was read at
 */
public record TransactionView(
        String id,
        String definition,
        int definitionVersion,
        String input,
        TraceContext trace,
        Status status,
        String reason,
        Instant startedAt,
        Instant updatedAt,
        List<StepView> steps,
        List<TimelineEntry> timeline,
        long version) {

    /** One step: its participant and the status and attempts of each phase. */
    public record StepView(String name, String participant, LegStatus action, LegStatus compensation, LegStatus confirm, int attempts) {}

    /** One stored event of the transaction stream. */
    public record TimelineEntry(long version, String type, Instant recordedAt) {}

    static TransactionView of(Transaction tx, long version, List<RecordedEvent> recorded) {
        List<StepView> steps = new ArrayList<>();
        for (StepState s : tx.steps()) {
            StepDefinition d = tx.stepDefinition(s.index());
            int attempts = s.action().attempt() + s.compensation().attempt() + s.confirm().attempt();
            steps.add(new StepView(d.name(), d.participant(), s.action().status(), s.compensation().status(), s.confirm().status(), attempts));
        }
        List<TimelineEntry> timeline = new ArrayList<>();
        for (RecordedEvent e : recorded) {
            timeline.add(new TimelineEntry(e.version(), e.type(), e.timestamp()));
        }
        return new TransactionView(tx.id(), tx.definition().name(), tx.definition().version(), tx.input(), tx.trace(), tx.status(), tx.reason(),
                tx.startedAt(), tx.updatedAt(), steps, timeline, version);
    }
}
