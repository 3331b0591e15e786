package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.retry.RetryPolicy;

/**
 * How an {@link InboxConsumer} handles messages.
 *
 * @param retry attempts and backoff for transient handler failures; out of attempts the message is parked
 * @param inboxCheck when to look a message up in the inbox before running the handler (skips the handler for
 *     a known duplicate; the commit refuses a duplicate whatever the choice)
 * @param maxConflictRetries how often a {@link dev.tandem.eventstore.StreamVersionConflict} re-runs the
 *     handler at once before it counts as a transient failure
 * @param maxMessageBytes a larger message is parked as too large without running the handler
 * @param replies where to publish a handler's replies again when their request is redelivered, or
 *     null to rely on the outbox relay alone
 * @param service the source name of re-sent replies (the consuming service); needed with {@code replies}
 */
public record InboxOptions(RetryPolicy retry, InboxCheck inboxCheck, int maxConflictRetries, int maxMessageBytes,
        Transport replies, String service) {

    public InboxOptions {
        InvalidInputException.requireNonNull(retry, "inbox.retry");
        InvalidInputException.requireNonNull(inboxCheck, "inbox.inboxCheck");
        if (maxConflictRetries < 0) {
            throw InvalidInputException.negative("inbox.maxConflictRetries", maxConflictRetries);
        }
        if (maxMessageBytes <= 0) {
            throw InvalidInputException.of("inbox.maxMessageBytes", "must be positive, was " + maxMessageBytes);
        }
        if (replies != null) {
            InvalidInputException.requireText(service, "inbox.service", 200);
        }
    }

    /** Default retries, {@link InboxCheck#ADAPTIVE} inbox checks, 10 conflict re-runs, 1 MiB messages, no reply re-sending. */
    public static InboxOptions defaults() {
        return new InboxOptions(RetryPolicy.defaults(), InboxCheck.ADAPTIVE, 10, 1024 * 1024, null, null);
    }

    public InboxOptions withRetry(RetryPolicy policy) {
        return new InboxOptions(policy, inboxCheck, maxConflictRetries, maxMessageBytes, replies, service);
    }

    public InboxOptions withInboxCheck(InboxCheck check) {
        return new InboxOptions(retry, check, maxConflictRetries, maxMessageBytes, replies, service);
    }

    public InboxOptions withMaxMessageBytes(int bytes) {
        return new InboxOptions(retry, inboxCheck, maxConflictRetries, bytes, replies, service);
    }

    /** Re-sends, through {@code transport} as {@code fromService}, the replies of a redelivered request. */
    public InboxOptions withReplies(Transport transport, String fromService) {
        return new InboxOptions(retry, inboxCheck, maxConflictRetries, maxMessageBytes,
                InvalidInputException.requireNonNull(transport, "replies"), fromService);
    }
}
