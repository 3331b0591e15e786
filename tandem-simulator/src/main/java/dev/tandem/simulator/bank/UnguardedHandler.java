package dev.tandem.simulator.bank;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.BranchReply;
import dev.tandem.saga.participant.BranchResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A deliberately broken participant handler: runs every command it receives, with no barrier. Used only to show
 * that the simulator's checks catch duplicate and hanging effects.
 */
final class UnguardedHandler implements MessageHandler {

    private final EventStore store;

    UnguardedHandler(EventStore store) {
        this.store = store;
    }

    @Override
    public Commit.Builder handle(Message message) {
        BranchCommand command = message.payloadAs(BranchCommand.class);
        BranchResult result = BankParticipant.run(command, store, Metadata.EMPTY);
        Commit.Builder commit = Commit.builder();
        result.writes().forEach(commit::append);
        BranchReply reply = new BranchReply(command.transactionId(), command.step(), command.phase(), command.attempt(),
                result.outcome(), result.reason());
        UUID id = UUID.nameUUIDFromBytes(("unguarded-reply/" + message.id() + "/" + store.lastPosition()).getBytes(StandardCharsets.UTF_8));
        NewEvent event = NewEvent.json(id, BranchReply.TYPE, reply).withRoute(Route.to(command.replyTo(), command.transactionId()));
        return commit.append(StreamId.of("replies", command.transactionId()), ExpectedVersion.any(), List.of(event));
    }
}
