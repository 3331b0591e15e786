package dev.tandem.saga.coordinator;

import dev.tandem.saga.definition.Phase;

/** The coordinator's view of one step: its action (try), compensation (cancel) and confirm legs. */
public record StepState(int index, int stage, Leg action, Leg compensation, Leg confirm) {

    public Leg leg(Phase phase) {
        return switch (phase) {
            case ACTION -> action;
            case COMPENSATION -> compensation;
            case CONFIRM -> confirm;
        };
    }

    StepState with(Phase phase, Leg leg) {
        return switch (phase) {
            case ACTION -> new StepState(index, stage, leg, compensation, confirm);
            case COMPENSATION -> new StepState(index, stage, action, leg, confirm);
            case CONFIRM -> new StepState(index, stage, action, compensation, leg);
        };
    }

    /**
     * Whether the action may have taken effect: it was requested (an operator retry puts a requested leg back
     * to idle, with its attempts kept) and not refused or failed for a business reason.
     */
    public boolean actionMayHaveEffect() {
        return action.attempt() > 0 && action.status() != LegStatus.FAILED;
    }
}
