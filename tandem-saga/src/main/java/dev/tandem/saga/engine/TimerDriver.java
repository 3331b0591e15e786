package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fires a coordinator's due timers on a thread of its own ({@code tandem-saga-timer-<n>}).
 *
 * <p>It waits until the earliest due instant by the injected clock, but never longer than {@code maxWait},
 * so a clock that jumps (or a virtual one in tests) is noticed; {@link #wake()} makes it look at once.
 * A failure while firing is reported to {@code errors} and never stops the loop.
 */
public final class TimerDriver implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Coordinator coordinator;
    private final InstantSource clock;
    private final Duration maxWait;
    private final Consumer<Throwable> errors;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean woken;

    public TimerDriver(Coordinator coordinator, InstantSource clock, Duration maxWait, Consumer<Throwable> errors) {
        this.coordinator = InvalidInputException.requireNonNull(coordinator, "coordinator");
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
        this.maxWait = InvalidInputException.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw InvalidInputException.of("maxWait", "must be positive, was " + maxWait);
        }
        this.errors = InvalidInputException.requireNonNull(errors, "errors");
        this.thread = Thread.ofPlatform().daemon().name("tandem-saga-timer-" + THREADS.incrementAndGet()).unstarted(this::run);
    }

    public TimerDriver start() {
        thread.start();
        return this;
    }

    /** Makes the driver check for due timers now. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                coordinator.fireDueTimers();
            } catch (RuntimeException e) {
                errors.accept(e);
            }
            waitForNextDue(coordinator.nextDueAt());
        }
    }

    private void waitForNextDue(Optional<Instant> next) {
        long millis = maxWait.toMillis();
        if (next.isPresent()) {
            millis = Math.min(millis, Math.max(0, Duration.between(clock.instant(), next.get()).toMillis()));
        }
        synchronized (signal) {
            try {
                if (!woken && running && millis > 0) {
                    signal.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }

    /** Stops the thread after the round in progress. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
