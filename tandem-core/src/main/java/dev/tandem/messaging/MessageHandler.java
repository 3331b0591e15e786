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

    /**
     * Whether this handler writes <em>blind</em>: it decides what to write for a message without reading anything that
     * the handling of an earlier message wrote (it appends with {@link dev.tandem.eventstore.ExpectedVersion#any()},
     * keeps no state, or reads only what others write). A pipelined inbox then takes two liberties, both keeping the
     * order per key and sending nothing before it is durable:
     * <ul>
     *   <li>it starts a key's next message as soon as the previous one's handling commit is <em>written</em> (its
     *       outcome decided, its place in the store's order taken: see
     *       {@link dev.tandem.eventstore.EventStore#commitAsync(Commit, java.util.function.Consumer)}) rather than durable;
     *   <li>it handles several queued messages of one key together and merges their handling commits into one atomic
     *       commit, with the effect of committing them one after the other (commits that would mean something else merged,
     *       such as two exact expectations on one stream, and any that fails merged, are committed alone).
     * </ul>
     * A handler that reads what it wrote must not say yes: a read of a write not yet durable waits until it is, on the
     * inbox's thread, and a message handled together with the one before it does not see that one's writes at all. A
     * {@link dev.tandem.messaging.inbox.CommitAwareHandler} may hear that a handling is durable after it was called for
     * the key's next messages; it is told of each message's own commit. The default is {@code false}.
     */
    default boolean writesBlind() {
        return false;
    }
}
