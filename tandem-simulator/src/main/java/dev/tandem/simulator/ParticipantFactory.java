package dev.tandem.simulator;

import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.MessageHandler;
import java.time.InstantSource;

/**
 * Builds a participant's message handler (typically the saga participant barrier around the user's handlers)
 * over the participant's store; called at every start of the simulated node, so in-memory state dies with a crash.
 */
@FunctionalInterface
public interface ParticipantFactory {

    MessageHandler create(EventStore store, InstantSource clock);

    /**
     * Whether the simulator wraps the handler in the idempotent inbox (always, in real use); false only to
     * demonstrate that the checks catch a participant that applies redelivered messages twice.
     */
    default boolean idempotentInbox() {
        return true;
    }
}
