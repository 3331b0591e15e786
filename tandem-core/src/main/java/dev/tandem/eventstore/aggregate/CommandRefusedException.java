package dev.tandem.eventstore.aggregate;

import dev.tandem.core.NonTransientException;
import dev.tandem.eventstore.StreamId;

/** A decider refused a command executed directly ({@link AggregateStreams#execute}); nothing was written. */
public final class CommandRefusedException extends NonTransientException {

    private final StreamId aggregate;
    private final String reason;

    CommandRefusedException(StreamId aggregate, String reason) {
        super(aggregate + " refused the command: " + reason);
        this.aggregate = aggregate;
        this.reason = reason;
    }

    /** The aggregate's stream, e.g. {@code stock-sku-1}. */
    public StreamId aggregate() {
        return aggregate;
    }

    /** The decider's reason. */
    public String reason() {
        return reason;
    }
}
