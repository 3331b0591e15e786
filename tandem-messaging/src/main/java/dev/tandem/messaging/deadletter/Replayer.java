package dev.tandem.messaging.deadletter;

import dev.tandem.eventstore.Commit;

/**
 * Handles a parked message again on an operator's request: returns the writes of the handling (which
 * {@link DeadLetters#replay} commits atomically with the "replayed" record), or does the work itself
 * (a re-publish) and returns an empty builder. Throwing leaves the message parked.
 */
@FunctionalInterface
public interface Replayer {

    Commit.Builder replay(DeadLetter letter) throws Exception;
}
