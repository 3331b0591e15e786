package dev.tandem.testkit.transport;

import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every delivered message, optionally failing the first {@code failFirst} batches (at-least-once checks). */
public final class RecordingListener implements MessageBatchListener {

    private final List<Message> received = new ArrayList<>();
    private final AtomicInteger failuresLeft;

    public RecordingListener() {
        this(0);
    }

    public RecordingListener(int failFirst) {
        this.failuresLeft = new AtomicInteger(failFirst);
    }

    @Override
    public void onMessages(List<Message> messages) {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("listener fails on purpose; the transport must deliver this batch again");
        }
        synchronized (this) {
            received.addAll(messages);
        }
    }

    public synchronized List<Message> received() {
        return List.copyOf(received);
    }

    /** Distinct ids received. */
    public synchronized Set<UUID> ids() {
        Set<UUID> ids = new LinkedHashSet<>();
        received.forEach(m -> ids.add(m.id()));
        return ids;
    }
}
