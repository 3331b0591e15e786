package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets inbox records older than the de-duplication window, on a schedule.
 *
 * <p>A message redelivered after its record was purged would be handled again, so the window must be
 * longer than any redelivery can be late (transport retention, relay downtime). The cutoff comes from
 * the injected clock; the store compares it with the records' commit times.
 */
public final class InboxPurger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxPurger.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventStore store;
    private final InstantSource clock;
    private final Duration window;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private ScheduledFuture<?> task;

    /** Purges on a thread of its own, {@code tandem-inbox-purge-<n>}. */
    public InboxPurger(EventStore store, InstantSource clock, Duration window) {
        this(store, clock, window, Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("tandem-inbox-purge-" + THREADS.incrementAndGet()).daemon(true).unstarted(r)), true);
    }

    /** Purges on {@code scheduler}, which the caller owns and shuts down. */
    public InboxPurger(EventStore store, InstantSource clock, Duration window, ScheduledExecutorService scheduler) {
        this(store, clock, window, scheduler, false);
    }

    private InboxPurger(EventStore store, InstantSource clock, Duration window, ScheduledExecutorService scheduler, boolean owns) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
        this.window = InvalidInputException.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw InvalidInputException.of("window", "must be positive, was " + window);
        }
        this.scheduler = InvalidInputException.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = owns;
    }

    /** Purges every {@code interval}, starting one interval from now; returns {@code this}. */
    public synchronized InboxPurger start(Duration interval) {
        InvalidInputException.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw InvalidInputException.of("interval", "must be at least 1 ms, was " + interval);
        }
        if (task == null) {
            task = scheduler.scheduleWithFixedDelay(this::purgeQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Deletes the records older than the window now; returns how many. */
    public int purgeNow() {
        Instant cutoff = clock.instant().minus(window);
        return store.purgeInbox(cutoff);
    }

    private void purgeQuietly() {
        try {
            int purged = purgeNow();
            if (purged > 0) {
                log.debug("purged {} inbox records older than {}", purged, window);
            }
        } catch (RuntimeException e) { // the next run tries again; a throw would cancel the schedule
            log.warn("inbox purge failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }
}
