package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;

/**
 * A condition on a stream that a commit does not write: the commit succeeds only if the stream's version is what
 * {@code expected} accepts when the commit is applied. A fencing check made atomic with the writes it fences, e.g.
 * "this lease stream is still at the version of my grant".
 */
public record StreamGuard(StreamId stream, ExpectedVersion expected) {

    public StreamGuard {
        InvalidInputException.requireNonNull(stream, "guard.stream");
        InvalidInputException.requireNonNull(expected, "guard.expectedVersion");
    }
}
