package dev.tandem.saga.protocol;

import dev.tandem.saga.definition.Phase;
import java.time.Instant;

/**
 * A coordinator's command to one participant branch (message type {@link #TYPE}).
 *
 * @param transactionId the distributed transaction
 * @param definition the definition's name and version, {@code name@version}
 * @param step the step number within the definition
 * @param stepName the step's name
 * @param phase action, compensation or confirm
 * @param operation the participant operation to run, e.g. {@code debit}
 * @param attempt 1 for the first attempt of this phase, then 2, 3…
 * @param input the transaction's input (JSON text)
 * @param replyTo the destination the reply goes to
 * @param timeoutAt when the coordinator stops waiting for this attempt's reply
 * @param at when the coordinator decided it
 */
public record BranchCommand(
        String transactionId,
        String definition,
        int step,
        String stepName,
        Phase phase,
        String operation,
        int attempt,
        String input,
        String replyTo,
        Instant timeoutAt,
        Instant at) {

    public static final String TYPE = "tandem.saga.BranchCommand";
}
