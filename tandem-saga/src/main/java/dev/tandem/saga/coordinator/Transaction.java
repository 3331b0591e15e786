package dev.tandem.saga.coordinator;

import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.definition.StepDefinition;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A started transaction.
 *
 * @param definition the definition it started with (its version never changes)
 * @param input the input it started with (JSON text)
 * @param trace the caller's correlation id and trace context, carried by every event and message of the transaction
 * @param stuckIn while {@link Status#STUCK}, the status it got stuck in; null otherwise
 * @param reason why it is compensating, stuck or resolved; null otherwise
 */
public record Transaction(
        String id,
        TransactionDefinition definition,
        String input,
        TraceContext trace,
        Status status,
        Status stuckIn,
        Instant startedAt,
        Instant deadline,
        boolean deadlineFired,
        Instant updatedAt,
        List<StepState> steps,
        String reason) implements TransactionState {

    public Transaction {
        steps = List.copyOf(steps);
    }

    public StepState step(int index) {
        return steps.get(index);
    }

    public StepDefinition stepDefinition(int index) {
        return definition.step(index);
    }

    /** The phase whose legs the current status drives, or null when nothing is driven. */
    public Phase drivenPhase() {
        Status s = status == Status.STUCK ? stuckIn : status;
        return switch (s) {
            case RUNNING -> Phase.ACTION;
            case COMPENSATING -> Phase.COMPENSATION;
            case CONFIRMING -> Phase.CONFIRM;
            case COMMITTED, COMPENSATED, STUCK -> null;
        };
    }

    /** The earliest instant a timer of this transaction is due, or empty when none is live (final or stuck). */
    public Optional<Instant> nextDueAt() {
        if (status.isSettled()) {
            return Optional.empty();
        }
        Instant earliest = status == Status.RUNNING && !deadlineFired ? deadline : null;
        for (Leg leg : liveTimerLegs()) {
            if (earliest == null || leg.dueAt().isBefore(earliest)) {
                earliest = leg.dueAt();
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** Legs of the driven phase with a live timer (an attempt in flight or a retry waiting). */
    List<Leg> liveTimerLegs() {
        List<Leg> result = new ArrayList<>();
        Phase phase = drivenPhase();
        if (phase == null || status == Status.STUCK) {
            return result;
        }
        for (StepState s : steps) {
            Leg leg = s.leg(phase);
            if ((leg.status() == LegStatus.IN_FLIGHT || leg.status() == LegStatus.RETRY_WAIT) && leg.dueAt() != null) {
                result.add(leg);
            }
        }
        return result;
    }

    Transaction withStep(StepState step, Instant at) {
        List<StepState> copy = new ArrayList<>(steps);
        copy.set(step.index(), step);
        return new Transaction(id, definition, input, trace, status, stuckIn, startedAt, deadline, deadlineFired, at, copy, reason);
    }

    Transaction withSteps(List<StepState> newSteps, Instant at) {
        return new Transaction(id, definition, input, trace, status, stuckIn, startedAt, deadline, deadlineFired, at, newSteps, reason);
    }

    Transaction withStatus(Status newStatus, Status newStuckIn, String newReason, Instant at) {
        return new Transaction(id, definition, input, trace, newStatus, newStuckIn, startedAt, deadline, deadlineFired, at, steps, newReason);
    }

    Transaction withDeadlineFired(Instant at) {
        return new Transaction(id, definition, input, trace, status, stuckIn, startedAt, deadline, true, at, steps, reason);
    }
}
