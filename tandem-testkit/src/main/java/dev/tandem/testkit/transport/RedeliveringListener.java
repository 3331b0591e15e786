package dev.tandem.testkit.transport;

import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import java.util.List;

/**
 * Forces redelivery: hands every batch to the wrapped listener {@code times} times in a row, as a
 * transport would after lost acknowledgements.
 */
public record RedeliveringListener(MessageBatchListener delegate, int times) implements MessageBatchListener {

    public RedeliveringListener {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
    }

    @Override
    public void onMessages(List<Message> messages) throws Exception {
        for (int i = 0; i < times; i++) {
            delegate.onMessages(messages);
        }
    }
}
