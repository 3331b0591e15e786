package dev.tandem.saga.protocol;

import dev.tandem.saga.definition.Phase;

/**
 * A participant's answer to a {@link BranchCommand} (message type {@link #TYPE}).
 *
 * @param reason why, for anything but success; may be null
 */
public record BranchReply(String transactionId, int step, Phase phase, int attempt, ReplyOutcome outcome, String reason) {

    public static final String TYPE = "tandem.saga.BranchReply";
}
