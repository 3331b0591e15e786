package dev.tandem.eventstore;

import dev.tandem.core.NonTransientException;

/**
 * The commit's inbox entry was already recorded: the message was handled before, so the commit was
 * refused as a whole and {@link #previous()} holds what the first handling recorded.
 */
public final class DuplicateMessageException extends NonTransientException {

    private final InboxRecord previous;

    public DuplicateMessageException(InboxRecord previous) {
        super("message " + previous.messageId() + " was already handled by " + previous.consumer() + " at " + previous.recordedAt());
        this.previous = previous;
    }

    public InboxRecord previous() {
        return previous;
    }
}
