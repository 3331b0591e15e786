package dev.tandem.simulator.kernel;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * One node's wall clock: the virtual time plus an offset that simulated clock jumps move forward or back.
 *
 * <p>It is what the node's store and engine receive as their injected {@link InstantSource}; a jump
 * must never change what the engine decides to do, only the timestamps it writes and when its timers fire.
 */
public final class NodeClock implements InstantSource {

    private final VirtualClock base;
    private long offsetNanos;

    public NodeClock(VirtualClock base) {
        this.base = InvalidInputException.requireNonNull(base, "base");
    }

    /** Moves this node's wall clock by {@code jump} (negative: backwards). */
    public void jump(Duration jump) {
        offsetNanos += jump.toNanos();
    }

    /** Sets the wall clock back in step with the true time. */
    public void resync() {
        offsetNanos = 0;
    }

    public Duration offset() {
        return Duration.ofNanos(offsetNanos);
    }

    @Override
    public Instant instant() {
        return base.instant().plusNanos(offsetNanos);
    }
}
