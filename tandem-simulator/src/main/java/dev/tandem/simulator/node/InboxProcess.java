package dev.tandem.simulator.node;

import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;

/**
 * A participant process: each delivered message goes through the idempotent inbox, i.e. the handler's writes
 * and {@code InboxEntry(consumer, message id)} are committed atomically, and a message whose entry exists
 * (found first, or refused by the commit with {@link DuplicateMessageException}) is not applied again.
 *
 * <p>A handler failure leaves nothing written and the message unacknowledged, so it is delivered again.
 */
public final class InboxProcess implements NodeProcess {

    private final EventStore store;
    private final String consumer;
    private final MessageHandler handler;

    /** @param consumer the inbox key's consumer part; null disables the inbox (a deliberately broken participant) */
    public InboxProcess(EventStore store, String consumer, MessageHandler handler) {
        this.store = store;
        this.consumer = consumer;
        this.handler = handler;
    }

    @Override
    public boolean deliver(Message message) {
        if (consumer != null && store.findInbox(consumer, message.id()).isPresent()) {
            return true;
        }
        Commit.Builder effects;
        try {
            effects = handler.handle(message);
        } catch (TandemException e) {
            if (e.isTransient()) {
                return false;
            }
            throw new SimulatedHandlerFailure(consumer, message, e);
        } catch (Exception e) {
            throw new SimulatedHandlerFailure(consumer, message, e);
        }
        try {
            if (consumer != null) {
                effects.inbox(InboxEntry.of(consumer, message.id()));
            }
            if (!effects.isEmpty()) {
                store.commit(effects.build());
            }
            return true;
        } catch (DuplicateMessageException alreadyHandled) {
            return true;
        }
    }
}
