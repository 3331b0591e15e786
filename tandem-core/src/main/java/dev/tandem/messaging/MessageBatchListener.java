package dev.tandem.messaging;

import java.util.List;

/** Receives a batch of messages from a {@link Transport}; returning normally acknowledges the whole batch. */
@FunctionalInterface
public interface MessageBatchListener {

    void onMessages(List<Message> messages) throws Exception;
}
