package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.Subscription;
import java.time.Duration;
import java.util.Set;

/** A subscription that leaves its store's set of running subscriptions when closed, so closed ones are not kept. */
record TrackedSubscription(Subscription delegate, Set<Subscription> running) implements Subscription {

    TrackedSubscription {
        running.add(delegate);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long position() {
        return delegate.position();
    }

    @Override
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        return delegate.awaitPosition(position, timeout);
    }

    @Override
    public void close() {
        delegate.close();
        running.remove(delegate);
    }
}
