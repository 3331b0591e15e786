package dev.tandem.simulator.kernel;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The simulation's true time: starts at a fixed instant and moves only when the {@link Scheduler} runs an event.
 *
 * <p>Nodes do not read it directly; each sees it through its own {@link NodeClock}, whose wall clock may jump.
 */
public final class VirtualClock implements InstantSource {

    /** Where every simulation starts, so traces of one seed are identical. */
    public static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

    private long nanos;

    /** Virtual nanoseconds since {@link #EPOCH}. */
    public long nanos() {
        return nanos;
    }

    void advanceTo(long target) {
        if (target > nanos) {
            nanos = target;
        }
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(nanos);
    }
}
