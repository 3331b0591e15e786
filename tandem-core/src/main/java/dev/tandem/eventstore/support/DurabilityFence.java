package dev.tandem.eventstore.support;

import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps readers from seeing a write before it is durable, for a backend whose transactions become
 * visible when they commit but durable only at a later sync (see {@link GroupCommitter.Syncer}).
 *
 * <p>The writer numbers its transactions with {@link #begin} before each one may become visible and
 * reports {@link #written} when it has committed or rolled back, one transaction at a time, with the
 * highest event position committed so far. A syncer reads {@link #written()} and {@link #writtenPosition()}
 * before its fsync and reports them {@link #durable} after it. A reader waits after its query, for as
 * little as what it saw needs:
 * <ul>
 *   <li>{@link #awaitDurable(long)} when all it saw are events up to a position: a read that saw no
 *       event (a stream with nothing from the version asked, an inbox key not there) waits for nothing,
 *       as a crash can only take writes away, never add them;
 *   <li>{@link #awaitReadable} when it saw rows without positions (an inbox entry, a checkpoint): whatever
 *       the query saw was begun by then, so once everything begun is durable, it saw nothing that a
 *       crash of the machine could take back.
 * </ul>
 */
public final class DurabilityFence {

    private final String name;
    private final Duration timeout;
    private final AtomicLong begun = new AtomicLong();
    private volatile long written;
    private volatile long writtenPosition;
    private volatile long durable;
    private volatile long durablePosition;
    private volatile TandemException failure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();

    /** @param timeout how long a reader waits for a sync before giving up with {@link StoreUnavailableException} */
    public DurabilityFence(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    /** The writer is about to run a transaction that may become visible; returns its number. */
    public long begin() {
        checkNotFailed();
        return begun.incrementAndGet();
    }

    /**
     * The writer's transaction {@code number} has committed or rolled back (so have all before it), and every event
     * up to {@code position} is committed.
     */
    public void written(long number, long position) {
        if (position > writtenPosition) {
            writtenPosition = position;
        }
        written = number;
    }

    /** The number of the last transaction written: a sync that starts now makes everything up to it durable. */
    public long written() {
        return written;
    }

    /** The highest event position committed: a sync that starts now makes every event up to it durable. */
    public long writtenPosition() {
        return writtenPosition;
    }

    /** Every transaction numbered up to {@code number}, and so every event up to {@code position}, is durable (or was rolled back). */
    public void durable(long number, long position) {
        lock.lock();
        try {
            if (position > durablePosition) {
                durablePosition = position;
            }
            if (number > durable) {
                durable = number;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A sync failed: what was written since the last good sync may or may not be durable, so from now on every
     * write and every read fails with {@code error} (the store must be reopened, which recovers what is durable).
     */
    public void fail(TandemException error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything begun so far is durable; returns at once when no write is under way. */
    public void awaitReadable() {
        long target = begun.get();
        if (durable >= target) {
            checkNotFailed();
            return;
        }
        await(() -> durable >= target);
    }

    /**
     * Waits until every event up to {@code position} is durable, or until every write begun so far is (events this
     * store did not write, such as another connection's on the same file, are that writer's to make durable). Returns
     * at once for 0 (the read saw no event) and for a position made durable already.
     */
    public void awaitDurable(long position) {
        long target = begun.get();
        if (durablePosition >= position || durable >= target) {
            checkNotFailed();
            return;
        }
        await(() -> durablePosition >= position || durable >= target);
    }

    private void await(java.util.function.BooleanSupplier reached) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!reached.getAsBoolean() && failure == null) {
                if (nanos <= 0) {
                    throw new StoreUnavailableException(name + ": a write was not made durable within " + timeout + "; reading could see it before it is", null);
                }
                nanos = advanced.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a write of " + name + " to become durable", e);
        } finally {
            lock.unlock();
        }
        checkNotFailed();
    }

    private void checkNotFailed() {
        TandemException f = failure;
        if (f != null) {
            throw new StoreUnavailableException(name + " failed to make a write durable and refuses further reads and writes; reopen it: "
                    + f.getMessage(), f);
        }
    }
}
