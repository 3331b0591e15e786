package dev.tandem.eventstore;

import dev.tandem.core.NonTransientException;

/** An append's expected version did not match the stream; nothing of the commit was written. */
public final class StreamVersionConflict extends NonTransientException {

    private final StreamId stream;
    private final ExpectedVersion expected;
    private final long actual;

    private StreamVersionConflict(StreamId stream, ExpectedVersion expected, long actual) {
        super("stream " + stream + " expected version " + expected + " but is at " + actual);
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    public static StreamVersionConflict expected(StreamId stream, ExpectedVersion expected, long actual) {
        return new StreamVersionConflict(stream, expected, actual);
    }

    public StreamId stream() {
        return stream;
    }

    public ExpectedVersion expectedVersion() {
        return expected;
    }

    /** The stream's version when the append was checked (0 for no stream). */
    public long actualVersion() {
        return actual;
    }
}
