package dev.tandem.messaging.deadletter;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.Message;
import java.time.Instant;

/**
 * A parked message with what is known about its failure.
 *
 * @param message the message as it was received or was to be published
 * @param reason why it was parked
 * @param attempts how many times handling or publishing was tried
 * @param lastError the last failure, as text (type and message)
 * @param parkedAt when it was parked (the store's commit time)
 */
public record DeadLetter(Message message, DeadLetterReason reason, int attempts, String lastError, Instant parkedAt) {

    public DeadLetter {
        InvalidInputException.requireNonNull(message, "deadLetter.message");
        InvalidInputException.requireNonNull(reason, "deadLetter.reason");
        InvalidInputException.requireNonNull(lastError, "deadLetter.lastError");
    }

    /** A short text for a failure: its type and message, capped so it fits an event. */
    public static String describe(Throwable failure) {
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        return text.length() > 2_000 ? text.substring(0, 2_000) + "…" : text;
    }
}
