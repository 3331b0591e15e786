package dev.tandem.saga.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A test clock that moves only when told. */
final class MutableClock implements InstantSource {

    private volatile Instant now;

    MutableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }
}
