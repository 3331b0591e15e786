package dev.tandem.saga.definition;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;

/**
 * One step of a transaction: an operation sent to a participant and the operation that undoes it.
 *
 * <p>For a saga, {@code action} is the forward operation and {@code compensation} undoes it (null when
 * the step needs no undo). For TCC, {@code action} is the try, {@code compensation} the cancel and
 * {@code confirm} the confirm.
 *
 * @param name unique within the definition, e.g. {@code debit}
 * @param participant the destination the commands go to, e.g. {@code bank-a}
 * @param action the operation name of the action (or try)
 * @param compensation the operation name of the compensation (or cancel), or null for none
 * @param confirm the operation name of the TCC confirm; null for saga steps
 * @param retry retries of the action after a transient failure
 * @param timeout how long one attempt may take before it counts as failed
 * @param compensationRetry retries of the compensation, confirm or cancel; exhausted means STUCK
 */
public record StepDefinition(
        String name,
        String participant,
        String action,
        String compensation,
        String confirm,
        RetryPolicy retry,
        Duration timeout,
        RetryPolicy compensationRetry) {

    public static final int MAX_NAME = 100;

    public StepDefinition {
        InvalidInputException.requireText(name, "step.name", MAX_NAME);
        InvalidInputException.requireText(participant, "step[" + name + "].participant", 200);
        InvalidInputException.requireText(action, "step[" + name + "].action", MAX_NAME);
        if (compensation != null) {
            InvalidInputException.requireText(compensation, "step[" + name + "].compensation", MAX_NAME);
        }
        if (confirm != null) {
            InvalidInputException.requireText(confirm, "step[" + name + "].confirm", MAX_NAME);
        }
        InvalidInputException.requireNonNull(retry, "step[" + name + "].retry");
        RetryPolicy.requirePositive(timeout, "step[" + name + "].timeout");
        InvalidInputException.requireNonNull(compensationRetry, "step[" + name + "].compensationRetry");
    }

    /** The operation name of {@code phase}, or null when this step has none. */
    public String operation(Phase phase) {
        return switch (phase) {
            case ACTION -> action;
            case COMPENSATION -> compensation;
            case CONFIRM -> confirm;
        };
    }
}
