package dev.tandem.messaging;

import dev.tandem.eventstore.Commit;

/**
 * Turns one incoming message into the writes it implies: events, outgoing messages (routed events)
 * and, if the handler needs them, checkpoint updates.
 *
 * <p>The inbox adds the record of the consumed message to the returned commit and writes it in one
 * atomic append, so a redelivered message is never applied twice (unless the handler
 * {@linkplain #deduplicates de-duplicates by itself}). A handler reads whatever state
 * it needs from its store and must not write anything itself. Throw
 * {@link dev.tandem.core.NonTransientException} for a message that can never succeed (it is parked
 * as a dead letter); any other failure is retried with backoff. A {@link
 * dev.tandem.eventstore.StreamVersionConflict} (a concurrent writer) re-runs the handler on fresh state.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * @return the writes for this message, or a builder-made commit with no writes when the message
     *     needs no effect (the inbox still records it)
     */
    Commit.Builder handle(Message message) throws Exception;

    /**
     * Whether this handler makes a redelivery of {@code message} harmless by itself: its writes expect exact stream
     * versions of a state that records what it applied (as the saga participant's barrier and the coordinator's
     * transaction streams do), so applying the message again writes nothing that changes an outcome. The inbox then
     * adds no record of the message to a handling that writes something (events or checkpoint updates), which saves an
     * inbox row per message; it still records a handling that writes nothing (guards alone need a commit), and every
     * message it parks. A redelivered message reaches such a handler again. The default is {@code false}: the inbox
     * records every message.
     */
    default boolean deduplicates(Message message) {
        return false;
    }
}
