package dev.tandem.messaging.inbox;

import dev.tandem.eventstore.Commit;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;

/**
 * A {@link MessageHandler} that learns when an {@link InboxConsumer} has durably committed the writes it returned
 * for a message (e.g. to complete futures waiting for an outcome without polling the store).
 *
 * <p>{@link #committed} is called once per successful handling commit, after it is durable, on the inbox's
 * thread; it is not called for duplicates, failed or conflicting attempts, or parked messages ({@link #notCommitted}
 * is, for an attempt whose commit failed). It must be quick and must not throw (a failure is logged and otherwise
 * ignored: the commit stands).
 *
 * <p>For a handler that does not {@linkplain MessageHandler#writesBlind write blind}, a key's next message is handled
 * only once the previous one's commit is durable, so {@code committed} comes in each key's order. For one that writes
 * blind, a key's next commit may be made while the previous one is being synced, and a store may tell of commits made
 * durable by different syncs in either order: {@code committed} then comes once for each, not necessarily in order.
 */
public interface CommitAwareHandler extends MessageHandler {

    /**
     * @param commit the commit that was made durable: the handler's writes plus the inbox entry of {@code message} (none
     *     when the handler {@linkplain dev.tandem.messaging.MessageHandler#deduplicates de-duplicates} it and wrote something)
     */
    void committed(Message message, Commit commit);

    /**
     * The handling commit the handler returned for {@code message} was not made (a conflict, a duplicate, a store
     * failure): whatever the handler expected of it will not happen. The message may be handled again. Called on the
     * inbox's thread; must be quick and must not throw.
     */
    default void notCommitted(Message message, Commit attempted) {}
}
