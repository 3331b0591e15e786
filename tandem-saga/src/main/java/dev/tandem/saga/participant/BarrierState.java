package dev.tandem.saga.participant;

/**
 * The barrier's record of one transaction branch at one participant.
 *
 * @param actionReason the reason of a failed action, repeated to duplicates; null otherwise
 * @param compensated whether the compensation (or cancel) is recorded
 * @param nullCompensation whether that compensation found no action to undo
 * @param confirmed whether the TCC confirm is recorded
 */
public record BarrierState(ActionState action, String actionReason, boolean compensated, boolean nullCompensation, boolean confirmed) {

    public static final BarrierState EMPTY = new BarrierState(ActionState.NONE, null, false, false, false);
}
