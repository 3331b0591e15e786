package dev.tandem.saga.participant;

import dev.tandem.core.json.Json;
import dev.tandem.messaging.Message;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;

/** What a participant handler gets: the command (transaction, step, phase, attempt, input) and the message. */
public record BranchContext(BranchCommand command, Message message) {

    public String transactionId() {
        return command.transactionId();
    }

    /** Decodes the transaction's JSON input as {@code type} (as {@link Json#decode}, with a reader prepared per type). */
    public <T> T input(Class<T> type) {
        return ProtocolJson.decode(command.input().getBytes(StandardCharsets.UTF_8), type);
    }
}
