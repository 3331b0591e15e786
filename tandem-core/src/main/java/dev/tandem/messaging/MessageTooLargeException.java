package dev.tandem.messaging;

import dev.tandem.core.NonTransientException;
import java.util.Map;
import java.util.UUID;

/** A message is larger than the limit of the transport or relay that refused it; nothing of the publish was sent. */
public final class MessageTooLargeException extends NonTransientException {

    private final UUID messageId;
    private final long bytes;
    private final long limit;

    public MessageTooLargeException(UUID messageId, long bytes, long limit) {
        super("message " + messageId + " is " + bytes + " bytes, the limit is " + limit);
        this.messageId = messageId;
        this.bytes = bytes;
        this.limit = limit;
    }

    public UUID messageId() {
        return messageId;
    }

    public long bytes() {
        return bytes;
    }

    public long limit() {
        return limit;
    }

    /** The size a message counts for against size limits: payload plus type, key and header text. */
    public static long sizeOf(Message m) {
        long size = m.payload().length + m.type().length() + m.partitionKey().length() + m.destination().length() + m.source().length();
        for (Map.Entry<String, String> e : m.headers().headers().entrySet()) {
            size += e.getKey().length() + e.getValue().length();
        }
        return size;
    }
}
