package dev.tandem.simulator.node;

import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.retry.RetryPolicy;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A node's message intake: the real {@link InboxConsumer} of {@code tandem-messaging}, so the handler's writes and
 * {@code InboxEntry(consumer, message id)} commit atomically and a redelivered message is not applied again.
 *
 * <p>The inbox's own retry loop is set to a single attempt: it would wait in real time, and in the simulation a
 * message that fails transiently is simply re-sent by its sender. A message the inbox parks as a dead letter
 * stays visible through {@link #parked()}.
 */
public final class InboxProcess implements NodeProcess {

    private final EventStore store;
    private final MessageHandler handler;
    private final InboxConsumer inbox;

    /** @param consumer the inbox key's consumer part; null runs the handler with no inbox at all (a deliberately broken node) */
    public InboxProcess(EventStore store, String consumer, MessageHandler handler) {
        this.store = store;
        this.handler = handler;
        this.inbox = consumer == null ? null : new InboxConsumer(store, consumer, handler, InboxOptions.defaults()
                .withRetry(RetryPolicy.defaults().withMaxAttempts(1).withRandom(new SplittableRandom(0))));
    }

    @Override
    public boolean deliver(Message message) {
        if (inbox == null) {
            return deliverWithoutInbox(message);
        }
        try {
            inbox.onMessages(List.of(message));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatedHandlerFailure("inbox", message, e);
        }
    }

    /** The messages this inbox parked as dead letters. */
    public List<DeadLetter> parked() {
        return inbox == null ? List.of() : inbox.deadLetters().list();
    }

    private boolean deliverWithoutInbox(Message message) {
        Commit.Builder effects;
        try {
            effects = handler.handle(message);
        } catch (TandemException e) {
            if (e.isTransient()) {
                return false;
            }
            throw new SimulatedHandlerFailure("handler", message, e);
        } catch (Exception e) {
            throw new SimulatedHandlerFailure("handler", message, e);
        }
        if (!effects.isEmpty()) {
            store.commit(effects.build());
        }
        return true;
    }
}
