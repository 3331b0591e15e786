package dev.tandem.saga.participant;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.participant.BarrierEvent.ActionRecorded;
import dev.tandem.saga.participant.BarrierEvent.ActionRefused;
import dev.tandem.saga.participant.BarrierEvent.CompensationRecorded;
import dev.tandem.saga.participant.BarrierEvent.ConfirmRecorded;
import dev.tandem.saga.participant.BarrierEvent.Replied;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.util.List;

/**
 * The participant barrier, pure: whether a branch command runs the business handler, and what is recorded.
 *
 * <p>Guarantees, per branch (transaction + step at one participant): a duplicate action, compensation or
 * confirm gets the first answer again without running twice; a compensation that arrives before its action
 * is recorded as a null compensation and answered with success; an action that arrives after its
 * compensation is refused (no hanging); confirm and cancel are idempotent. These hold only when the
 * barrier events are appended in the same commit as the handler's business events, guarded by the
 * barrier stream's expected version, so two concurrent commands for one branch cannot both win.
 *
 * <p>How to drive it: fold the branch's barrier events with {@link #evolve}; call {@link #decide};
 * on {@link BarrierDecision.Answer} append its event; on {@link BarrierDecision.Execute} run the handler
 * and append {@link #recordOutcome}'s event together with the handler's writes when
 * {@link BarrierEvent#carriesEffects()} is true. Each appended barrier event doubles as the reply.
 */
public final class Barrier {

    private Barrier() {}

    public static BarrierDecision decide(BarrierState state, Phase phase) {
        return switch (phase) {
            case ACTION -> switch (state.action()) {
                case NONE -> state.compensated() ? answer(new ActionRefused()) : BarrierDecision.EXECUTE;
                case SUCCEEDED, FAILED -> answer(new Replied(Phase.ACTION, outcomeOf(state.action()), state.actionReason()));
                case REFUSED -> answer(new Replied(Phase.ACTION, ReplyOutcome.REFUSED, new ActionRefused().reason()));
            };
            case COMPENSATION -> {
                if (state.compensated()) {
                    yield answer(new Replied(Phase.COMPENSATION, ReplyOutcome.SUCCEEDED, null));
                }
                if (state.confirmed()) {
                    yield answer(new Replied(Phase.COMPENSATION, ReplyOutcome.FAILED, "cannot cancel: the branch is confirmed"));
                }
                yield state.action() == ActionState.SUCCEEDED ? BarrierDecision.EXECUTE : answer(new CompensationRecorded(true));
            }
            case CONFIRM -> {
                if (state.confirmed()) {
                    yield answer(new Replied(Phase.CONFIRM, ReplyOutcome.SUCCEEDED, null));
                }
                if (state.action() == ActionState.SUCCEEDED && !state.compensated()) {
                    yield BarrierDecision.EXECUTE;
                }
                yield answer(new Replied(Phase.CONFIRM, ReplyOutcome.FAILED,
                        "cannot confirm: try is " + state.action() + (state.compensated() ? " and cancelled" : "")));
            }
        };
    }

    /** The event recording what the handler of {@code phase} answered after an {@link BarrierDecision.Execute}. */
    public static BarrierEvent recordOutcome(Phase phase, ReplyOutcome outcome, String reason) {
        return switch (phase) {
            case ACTION -> switch (outcome) {
                case SUCCEEDED -> new ActionRecorded(ReplyOutcome.SUCCEEDED, null);
                case FAILED, REFUSED -> new ActionRecorded(ReplyOutcome.FAILED, reason);
                case RETRYABLE -> new Replied(Phase.ACTION, ReplyOutcome.RETRYABLE, reason);
            };
            case COMPENSATION -> outcome == ReplyOutcome.SUCCEEDED
                    ? new CompensationRecorded(false)
                    : new Replied(Phase.COMPENSATION, ReplyOutcome.RETRYABLE, reason);
            case CONFIRM -> outcome == ReplyOutcome.SUCCEEDED
                    ? new ConfirmRecorded()
                    : new Replied(Phase.CONFIRM, ReplyOutcome.RETRYABLE, reason);
        };
    }

    public static BarrierState evolve(BarrierState state, BarrierEvent event) {
        return switch (event) {
            case ActionRecorded a -> new BarrierState(a.outcome() == ReplyOutcome.SUCCEEDED ? ActionState.SUCCEEDED : ActionState.FAILED,
                    a.reason(), state.compensated(), state.nullCompensation(), state.confirmed());
            case ActionRefused r -> new BarrierState(ActionState.REFUSED, null, state.compensated(), state.nullCompensation(), state.confirmed());
            case CompensationRecorded c -> new BarrierState(state.action(), state.actionReason(), true, c.nullCompensation(), state.confirmed());
            case ConfirmRecorded c -> new BarrierState(state.action(), state.actionReason(), state.compensated(), state.nullCompensation(), true);
            case Replied r -> state;
        };
    }

    public static BarrierState replay(List<? extends BarrierEvent> events) {
        BarrierState s = BarrierState.EMPTY;
        for (BarrierEvent e : events) {
            s = evolve(s, e);
        }
        return s;
    }

    private static BarrierDecision answer(BarrierEvent event) {
        return new BarrierDecision.Answer(event);
    }

    private static ReplyOutcome outcomeOf(ActionState state) {
        return state == ActionState.SUCCEEDED ? ReplyOutcome.SUCCEEDED : ReplyOutcome.FAILED;
    }
}
