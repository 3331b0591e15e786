package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The record that {@code consumer} has handled message {@code messageId}, stored in the same commit as
 * the handling's effects; a second commit with the same key is refused with {@link DuplicateMessageException}.
 *
 * @param result what the handling answered (e.g. the reply), returned again on a duplicate; may be null
 */
public record InboxEntry(String consumer, UUID messageId, byte[] result) {

    public static final int MAX_RESULT_BYTES = 64 * 1024;

    public InboxEntry {
        InvalidInputException.requireText(consumer, "inbox.consumer", 200);
        InvalidInputException.requireNonNull(messageId, "inbox.messageId");
        if (result != null && result.length > MAX_RESULT_BYTES) {
            throw InvalidInputException.tooLarge("inbox.result", result.length, MAX_RESULT_BYTES);
        }
    }

    public static InboxEntry of(String consumer, UUID messageId) {
        return new InboxEntry(consumer, messageId, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboxEntry e
                && consumer.equals(e.consumer)
                && messageId.equals(e.messageId)
                && Arrays.equals(result, e.result);
    }

    @Override
    public int hashCode() {
        return Objects.hash(consumer, messageId);
    }
}
