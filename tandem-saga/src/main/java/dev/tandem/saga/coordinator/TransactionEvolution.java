package dev.tandem.saga.coordinator;

import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.coordinator.TransactionEvent.Committed;
import dev.tandem.saga.coordinator.TransactionEvent.Compensated;
import dev.tandem.saga.coordinator.TransactionEvent.CompensationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.ConfirmationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.DeadlineFired;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorResolved;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorRetried;
import dev.tandem.saga.coordinator.TransactionEvent.RetriesExhausted;
import dev.tandem.saga.coordinator.TransactionEvent.RetryScheduled;
import dev.tandem.saga.coordinator.TransactionEvent.Started;
import dev.tandem.saga.coordinator.TransactionEvent.StepCompensated;
import dev.tandem.saga.coordinator.TransactionEvent.StepConfirmed;
import dev.tandem.saga.coordinator.TransactionEvent.StepFailed;
import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.coordinator.TransactionEvent.StepSucceeded;
import dev.tandem.saga.coordinator.TransactionEvent.StepTimedOut;
import dev.tandem.saga.coordinator.TransactionEvent.Stuck;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The pure fold of transaction events into state ({@code evolve}). */
final class TransactionEvolution {

    private final DefinitionRegistry registry;

    TransactionEvolution(DefinitionRegistry registry) {
        this.registry = registry;
    }

    TransactionState evolve(TransactionState state, TransactionEvent event) {
        if (event instanceof Started s) {
            if (state instanceof Transaction) {
                throw new IllegalStateException("a second Started event for transaction " + s.transactionId());
            }
            return started(s);
        }
        if (!(state instanceof Transaction t)) {
            throw new IllegalStateException("event " + event + " before Started");
        }
        Instant at = event.at();
        return switch (event) {
            case Started s -> throw new IllegalStateException("unreachable: " + s);
            case StepRequested r -> leg(t, r.step(), r.phase(), new Leg(LegStatus.IN_FLIGHT, r.attempt(),
                    t.step(r.step()).leg(r.phase()).budgetStart(), r.timeoutAt(), null), at);
            case StepSucceeded r -> to(t, r.step(), Phase.ACTION, LegStatus.SUCCEEDED, null, null, at);
            case StepFailed r -> to(t, r.step(), Phase.ACTION, LegStatus.FAILED, null, r.reason(), at);
            case StepTimedOut r -> to(t, r.step(), Phase.ACTION, LegStatus.TIMED_OUT, null, "timed out at attempt " + r.attempt(), at);
            case StepCompensated r -> to(t, r.step(), Phase.COMPENSATION, LegStatus.SUCCEEDED, null, null, at);
            case StepConfirmed r -> to(t, r.step(), Phase.CONFIRM, LegStatus.SUCCEEDED, null, null, at);
            case RetryScheduled r -> to(t, r.step(), r.phase(), LegStatus.RETRY_WAIT, r.dueAt(), r.reason(), at);
            case RetriesExhausted r -> to(t, r.step(), r.phase(), LegStatus.EXHAUSTED, null, r.reason(), at);
            case DeadlineFired d -> t.withDeadlineFired(at);
            case CompensationStarted c -> t.withStatus(Status.COMPENSATING, null, c.reason(), at);
            case ConfirmationStarted c -> t.withStatus(Status.CONFIRMING, null, null, at);
            case Committed c -> t.withStatus(Status.COMMITTED, null, null, at);
            case Compensated c -> t.withStatus(Status.COMPENSATED, null, t.reason(), at);
            case Stuck s -> t.withStatus(Status.STUCK, t.status(), s.reason(), at);
            case OperatorRetried o -> operatorRetried(t, at);
            case OperatorResolved o -> t.withStatus(o.resolution(), null, "resolved by " + o.operator() + ": " + o.reason(), at);
        };
    }

    private Transaction started(Started s) {
        TransactionDefinition def = registry.get(s.definition(), s.version());
        int[] stages = def.stageOfSteps();
        List<StepState> steps = new ArrayList<>(stages.length);
        for (int i = 0; i < stages.length; i++) {
            steps.add(new StepState(i, stages[i], Leg.IDLE, Leg.IDLE, Leg.IDLE));
        }
        return new Transaction(s.transactionId(), def, s.input(), s.trace() == null ? TraceContext.NONE : s.trace(), Status.RUNNING, null,
                s.at(), s.deadline(), false, s.at(), steps, null);
    }

    private static Transaction operatorRetried(Transaction t, Instant at) {
        Status resume = t.stuckIn();
        Transaction resumed = t.withStatus(resume, null, t.reason(), at);
        Phase phase = resumed.drivenPhase();
        List<StepState> steps = new ArrayList<>();
        for (StepState s : t.steps()) {
            Leg leg = s.leg(phase);
            if (leg.status() == LegStatus.EXHAUSTED) {
                leg = new Leg(LegStatus.IDLE, leg.attempt(), leg.attempt() + 1, null, leg.reason());
            }
            steps.add(s.with(phase, leg));
        }
        return resumed.withSteps(steps, at);
    }

    private static Transaction to(Transaction t, int step, Phase phase, LegStatus status, Instant dueAt, String reason, Instant at) {
        return leg(t, step, phase, t.step(step).leg(phase).to(status, dueAt, reason), at);
    }

    private static Transaction leg(Transaction t, int step, Phase phase, Leg leg, Instant at) {
        return t.withStep(t.step(step).with(phase, leg), at);
    }
}
