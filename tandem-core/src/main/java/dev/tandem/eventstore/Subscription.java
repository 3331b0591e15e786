package dev.tandem.eventstore;

import java.time.Duration;

/** A running subscription: catches up from history, then follows live appends until closed. */
public interface Subscription extends AutoCloseable {

    String name();

    /** The position of the last event the handler has handled successfully. */
    long position();

    /** Waits until the handler has handled position {@code position} or later; false on timeout. */
    boolean awaitPosition(long position, Duration timeout) throws InterruptedException;

    /** Stops delivering; returns after the handler has returned from any batch in progress. */
    @Override
    void close();
}
