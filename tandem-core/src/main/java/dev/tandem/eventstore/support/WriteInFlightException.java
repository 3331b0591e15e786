package dev.tandem.eventstore.support;

import dev.tandem.eventstore.StreamId;

/**
 * A decision on {@link #stream()} should wait: a write of this process to that stream is still on its way to the store
 * ({@link CommittedStates#currentOrWait}). Not a failure: an inbox that gets it from a handler runs the message again once
 * commits in flight have settled, instead of deciding on a state that write is about to change.
 */
public final class WriteInFlightException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StreamId stream;

    public WriteInFlightException(StreamId stream) {
        super("a write to " + stream + " is in flight; decide once it has settled", null, false, false);
        this.stream = stream;
    }

    public StreamId stream() {
        return stream;
    }
}
