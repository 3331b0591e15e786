package dev.tandem.eventstore.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL into the database file on a thread and connection of its own, so that the writer's commits find
 * little left to copy.
 *
 * <p>SQLite checkpoints inside the {@code COMMIT} that takes the WAL past {@code wal_autocheckpoint} pages, on the
 * writer's thread: it copies every page the log holds into the database file and fsyncs both files, and no commit of
 * that store moves meanwhile (about 40 ms per checkpoint in the engine bench, every second or so per store). A
 * {@code PASSIVE} checkpoint from another connection runs beside the writer without taking its lock. This thread runs
 * one when the log reaches {@link #TARGET} of the writer's mark (judged from the rate at which it grew since the last
 * one; at least every {@link #MAX_DELAY} while writes go on), then every {@link #MIN_DELAY} until the writer starts the
 * log over, so the writer's own checkpoint, still triggered by the WAL's size (it alone can start the log again from its
 * beginning, as no frame is written while it runs), finds all but the last few milliseconds' frames copied. Pages
 * written often are copied a few times per log rather than once (checkpoints every 100 ms all the time copied them so
 * often that they cost the messaging bench's stores ~1 µs of CPU per message; without the runs after the target, the
 * writer's own checkpoints took 16–131 ms again). What a crash can lose is unchanged: a checkpoint only copies frames
 * that are in the WAL (SQLite fsyncs the WAL before copying), and readers see the same pages either way.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    /** The share of the writer's mark the log should have reached when this thread checkpoints it. */
    static final double TARGET = 0.75;
    /** The longest pause between two checkpoints while writes go on. */
    static final Duration MAX_DELAY = Duration.ofMillis(500);
    /** The shortest pause between two checkpoints. */
    static final Duration MIN_DELAY = Duration.ofMillis(20);

    private final Connection connection;
    private final long targetFrames;
    private final String name;
    private final Thread thread;
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean dirty;
    private volatile boolean closed;

    /**
     * Takes ownership of {@code connection} (read-write, on the store's file) and starts its thread.
     *
     * @param writerMark the WAL size in pages at which the writer checkpoints ({@code wal_autocheckpoint})
     */
    WalCheckpointer(Connection connection, Path file, int writerMark) {
        this.connection = connection;
        this.targetFrames = (long) (writerMark * TARGET);
        this.name = "SQLite checkpointer of " + file;
        this.thread = Thread.ofPlatform().name("tandem-sqlite-checkpointer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Called after each batch the writer committed: wakes the thread when it was idle. Cheap: one volatile read mostly. */
    void written() {
        if (!dirty) {
            dirty = true;
            LockSupport.unpark(thread);
        }
    }

    /** Checkpoints run so far. */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        long last = System.nanoTime();
        long lastFrames = 0;
        double framesPerSecond = 0;
        long delay = MAX_DELAY.toNanos();
        while (!closed) {
            if (!dirty) {
                LockSupport.park(this); // written() or close() wakes it
                continue;
            }
            long next = last + delay;
            for (long now = System.nanoTime(); now < next && !closed; now = System.nanoTime()) {
                LockSupport.parkNanos(this, next - now);
            }
            if (closed) {
                return;
            }
            dirty = false; // before the checkpoint: a write during it runs the next one
            long frames = checkpoint();
            long now = System.nanoTime();
            if (frames > lastFrames) { // the log grew since the last one (and was not started over by the writer)
                framesPerSecond = (frames - lastFrames) * 1e9 / Math.max(1, now - last);
            }
            delay = delayNanos(frames, framesPerSecond, targetFrames);
            lastFrames = Math.max(frames, 0);
            last = now;
        }
    }

    /**
     * How long to wait before the next checkpoint: until a log of {@code frames} pages growing at {@code framesPerSecond}
     * reaches {@code targetFrames}, within [{@link #MIN_DELAY}, {@link #MAX_DELAY}].
     */
    static long delayNanos(long frames, double framesPerSecond, long targetFrames) {
        long min = MIN_DELAY.toNanos();
        long max = MAX_DELAY.toNanos();
        if (frames >= targetFrames) {
            return min;
        }
        if (framesPerSecond <= 0) {
            return max;
        }
        return Math.clamp((long) ((targetFrames - frames) / framesPerSecond * 1e9), min, max);
    }

    /** Runs one {@code PASSIVE} checkpoint; returns the log's size in pages, -1 when it failed. */
    private long checkpoint() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            checkpoints.incrementAndGet();
            return rs.next() ? rs.getLong(2) : -1;
        } catch (SQLException e) {
            // Nothing is lost: the writer's own checkpoint (wal_autocheckpoint) still copies the log.
            log.warn("{}: a checkpoint failed; the writer's own checkpoints go on", name, e);
            return -1;
        }
    }

    /**
     * Stops the thread, letting a checkpoint in progress finish, then closes the connection; a failure to close it is
     * logged, as nothing committed depends on this connection (the store goes on closing its own).
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("{}: closing its connection failed", name, e);
        }
    }
}
