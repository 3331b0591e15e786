package dev.tandem.messaging.inbox;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.Transport;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the replies of a request again when the request is redelivered: the duplicate gets the
 * answer the first handling gave, with the same message ids (so the requester de-duplicates).
 */
final class Replies {

    private static final Logger log = LoggerFactory.getLogger(Replies.class);
    private static final int SEARCH_LIMIT = 1_000;

    private final EventStore store;
    private final Transport transport;
    private final String service;

    Replies(EventStore store, Transport transport, String service) {
        this.store = store;
        this.transport = transport;
        this.service = service;
    }

    /**
     * Publishes the replies recorded in {@code previous} again, without waiting: the relay already
     * published them at least once, so this is a courtesy to a requester that asked again, and waiting
     * could deadlock a transport that delivers on the caller's consumer thread (a reply to itself).
     */
    void resend(InboxRecord previous) {
        InboxResult result = InboxResult.decode(previous.result());
        if (result.parked() || result.replies().isEmpty()) {
            return;
        }
        List<Message> messages = new ArrayList<>();
        for (InboxResult.Reply r : result.replies()) {
            RecordedEvent e = find(r);
            if (e == null) {
                log.warn("reply {} of message {} is not in {} any more; not re-sent", r.id(), previous.messageId(), r.stream());
            } else {
                messages.add(Message.fromOutbox(service, e));
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        transport.publish(messages).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("re-sending {} replies of message {} failed; the relay's copies stand", messages.size(), previous.messageId(), failure);
            }
        });
    }

    private RecordedEvent find(InboxResult.Reply r) {
        StreamId stream = StreamId.of(r.stream());
        if (r.version() > 0) {
            List<RecordedEvent> one = store.readStream(stream, r.version(), ReadDirection.FORWARD, 1);
            if (!one.isEmpty() && one.getFirst().id().equals(r.id())) {
                return one.getFirst();
            }
        }
        for (RecordedEvent e : store.readStream(stream, Long.MAX_VALUE, ReadDirection.BACKWARD, SEARCH_LIMIT)) {
            if (e.id().equals(r.id())) {
                return e;
            }
        }
        return null;
    }
}
