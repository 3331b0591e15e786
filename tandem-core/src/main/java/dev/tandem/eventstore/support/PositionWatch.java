package dev.tandem.eventstore.support;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A store position that only moves forward, and waits for it to reach a target (a subscription's, a relay's). */
public final class PositionWatch {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long position;

    public PositionWatch(long initial) {
        this.position = initial;
    }

    public long get() {
        return position;
    }

    /** Moves to {@code reached} if that is further on, waking those who wait. */
    public void advanceTo(long reached) {
        lock.lock();
        try {
            if (reached > position) {
                position = reached;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the position is at least {@code target}; false on timeout. */
    public boolean await(long target, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (position < target) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
