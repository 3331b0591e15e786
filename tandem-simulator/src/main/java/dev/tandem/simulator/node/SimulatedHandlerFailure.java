package dev.tandem.simulator.node;

import dev.tandem.core.NonTransientException;
import dev.tandem.messaging.Message;

/** A handler threw a non-transient error for a message inside the simulation: a bug the run reports as it is. */
public final class SimulatedHandlerFailure extends NonTransientException {

    public SimulatedHandlerFailure(String consumer, Message message, Throwable cause) {
        super(consumer + " failed on " + message + ": " + cause, cause);
    }
}
