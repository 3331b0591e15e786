package dev.tandem.testkit.transport;

import dev.tandem.messaging.MessageBatchListener;
import java.util.List;
import java.util.UUID;

/**
 * The idempotent inbox the transport contract runs messages into: a batch listener that handles each
 * message once (atomically with an inbox entry), parks poison messages and replays them on request.
 * In {@code tandem-messaging} it is an {@code InboxConsumer}; adapt it in a few lines.
 */
public interface InboxUnderTest extends MessageBatchListener {

    /** Ids of the messages parked now. */
    List<UUID> parked();

    /** Handles parked message {@code messageId} again and un-parks it. */
    void replay(UUID messageId);
}
