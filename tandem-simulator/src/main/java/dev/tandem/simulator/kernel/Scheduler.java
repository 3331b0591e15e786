package dev.tandem.simulator.kernel;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

/**
 * Runs simulated events one at a time in virtual-time order, on the caller's thread.
 *
 * <p>Events due at the same virtual time run in an order drawn from the seeded random source when they
 * are scheduled, so the interleaving of simultaneous events varies between seeds but never between two
 * runs of one seed. Running an event advances {@link #clock()} to its due time; time never goes back.
 */
public final class Scheduler {

    /** One scheduled event. */
    private record Task(long dueNanos, long tieBreak, long sequence, String label, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            if (c == 0) {
                c = Long.compare(tieBreak, o.tieBreak);
            }
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final RandomGenerator random;
    private final VirtualClock clock;
    private final Trace trace;
    private long sequence;
    private long executed;

    public Scheduler(RandomGenerator random, VirtualClock clock, Trace trace) {
        this.random = InvalidInputException.requireNonNull(random, "random");
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
        this.trace = InvalidInputException.requireNonNull(trace, "trace");
    }

    public VirtualClock clock() {
        return clock;
    }

    public RandomGenerator random() {
        return random;
    }

    public Trace trace() {
        return trace;
    }

    /** Schedules {@code action} to run {@code delay} after the current virtual time; {@code label} goes to the trace. */
    public void after(Duration delay, String label, Runnable action) {
        InvalidInputException.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw InvalidInputException.of("delay", "must not be negative, was " + delay);
        }
        atNanos(clock.nanos() + delay.toNanos(), label, action);
    }

    /** Schedules {@code action} at virtual time {@code dueNanos} (clamped to now when in the past). */
    public void atNanos(long dueNanos, String label, Runnable action) {
        InvalidInputException.requireNonNull(label, "label");
        InvalidInputException.requireNonNull(action, "action");
        queue.add(new Task(Math.max(dueNanos, clock.nanos()), random.nextLong(), sequence++, label, action));
    }

    /** Runs the next due event; false when none is left. */
    public boolean step() {
        Task t = queue.poll();
        if (t == null) {
            return false;
        }
        clock.advanceTo(t.dueNanos);
        executed++;
        trace.record(clock.nanos(), t.label);
        t.action.run();
        return true;
    }

    /** Runs events until none is left or the next one is due after {@code untilNanos}; returns how many ran. */
    public long runUntil(long untilNanos) {
        long ran = 0;
        while (!queue.isEmpty() && queue.peek().dueNanos <= untilNanos) {
            step();
            ran++;
        }
        clock.advanceTo(Math.max(clock.nanos(), untilNanos));
        return ran;
    }

    /** The number of events waiting. */
    public int pending() {
        return queue.size();
    }

    /** The number of events run so far. */
    public long executed() {
        return executed;
    }
}
