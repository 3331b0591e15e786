package dev.tandem.saga.participant;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.Message;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;

/**
 * What a participant handler gets: the command (transaction, step, phase, attempt, input), the message, and the
 * metadata its own events should carry.
 *
 * @param metadata for the events the handler writes: the transaction's correlation id and trace context (as the
 *                 transaction's starter gave them), the transaction id, and this command's message id as their cause;
 *                 the participant's reply carries the same
 */
public record BranchContext(BranchCommand command, Message message, Metadata metadata) {

    public BranchContext {
        InvalidInputException.requireNonNull(command, "command");
        InvalidInputException.requireNonNull(message, "message");
        InvalidInputException.requireNonNull(metadata, "metadata");
    }

    public String transactionId() {
        return command.transactionId();
    }

    /** Decodes the transaction's JSON input as {@code type} (as {@link Json#decode}, with a reader prepared per type). */
    public <T> T input(Class<T> type) {
        return ProtocolJson.decode(command.input().getBytes(StandardCharsets.UTF_8), type);
    }
}
