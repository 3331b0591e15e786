package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.messaging.MalformedMessageException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.UnknownMessageTypeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link MessageHandler} that picks a handler by message type and decodes JSON payloads, so unknown
 * types and undecodable payloads fail with the errors that park them with the right reason
 * ({@link UnknownMessageTypeException}, {@link MalformedMessageException}).
 */
public final class MessageRouter implements MessageHandler {

    /** Handles one message whose JSON payload was decoded as {@code T}. */
    @FunctionalInterface
    public interface PayloadHandler<T> {
        Commit.Builder handle(Message message, T payload) throws Exception;
    }

    private final String name;
    private final Map<String, MessageHandler> byType = new LinkedHashMap<>();

    /** @param name who routes (e.g. the consumer), for error messages */
    public MessageRouter(String name) {
        this.name = InvalidInputException.requireText(name, "name", 200);
    }

    /** Routes messages of {@code type} to {@code handler}. */
    public synchronized MessageRouter on(String type, MessageHandler handler) {
        InvalidInputException.requireText(type, "type", 200);
        InvalidInputException.requireNonNull(handler, "handler");
        if (byType.putIfAbsent(type, handler) != null) {
            throw InvalidInputException.of("type", "'" + type + "' already has a handler in " + name);
        }
        return this;
    }

    /** Routes messages of {@code type} to {@code handler} with their JSON payload decoded as {@code payloadType}. */
    public <T> MessageRouter on(String type, Class<T> payloadType, PayloadHandler<T> handler) {
        InvalidInputException.requireNonNull(payloadType, "payloadType");
        InvalidInputException.requireNonNull(handler, "handler");
        return on(type, m -> handler.handle(m, decode(m, payloadType)));
    }

    /** As the handler of the message's type says; {@code false} for a type without one. */
    @Override
    public boolean deduplicates(Message message) {
        MessageHandler h;
        synchronized (this) {
            h = byType.get(message.type());
        }
        return h != null && h.deduplicates(message);
    }

    @Override
    public Commit.Builder handle(Message message) throws Exception {
        MessageHandler h;
        synchronized (this) {
            h = byType.get(message.type());
        }
        if (h == null) {
            throw new UnknownMessageTypeException(message.type(), name);
        }
        return h.handle(message);
    }

    private static <T> T decode(Message m, Class<T> type) {
        if (!m.contentType().startsWith(Json.CONTENT_TYPE)) {
            throw new MalformedMessageException(m + " has content type " + m.contentType() + ", expected " + Json.CONTENT_TYPE);
        }
        try {
            return Json.decode(m.payload(), type);
        } catch (InvalidInputException e) {
            throw new MalformedMessageException(m + ": " + e.getMessage(), e);
        }
    }
}
