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
 * {@code PASSIVE} checkpoint from another connection runs beside the writer without taking its lock: while writes go
 * on, this thread copies what has been written at most {@link #EVERY} ago, and the writer's own checkpoint, still
 * triggered by the WAL's size (it alone can start the log again from its beginning, as no frame is written while it
 * runs), finds nearly every frame copied already. What a crash can lose is unchanged: a checkpoint only copies frames
 * that are in the WAL (SQLite fsyncs the WAL before copying), and readers see the same pages either way.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    /** How long after a write the checkpoint that copies it starts, at most: a page written often is copied once per period. */
    static final Duration EVERY = Duration.ofMillis(Long.getLong("tandem.sqlite.checkpointEveryMillis", 100));

    private final Connection connection;
    private final String name;
    private final Thread thread;
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean dirty;
    private volatile boolean closed;

    /** Takes ownership of {@code connection} (read-write, on the store's file) and starts its thread. */
    WalCheckpointer(Connection connection, Path file) {
        this.connection = connection;
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
        long period = EVERY.toNanos();
        long last = System.nanoTime() - period;
        while (!closed) {
            if (!dirty) {
                LockSupport.park(this); // written() or close() wakes it
                continue;
            }
            long next = last + period;
            for (long now = System.nanoTime(); now < next && !closed; now = System.nanoTime()) {
                LockSupport.parkNanos(this, next - now);
            }
            if (closed) {
                return;
            }
            dirty = false; // before the checkpoint: a write during it runs the next one
            last = System.nanoTime();
            checkpoint();
        }
    }

    private void checkpoint() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            checkpoints.incrementAndGet();
        } catch (SQLException e) {
            // Nothing is lost: the writer's own checkpoint (wal_autocheckpoint) still copies the log.
            log.warn("{}: a checkpoint failed; the writer's own checkpoints go on", name, e);
        }
    }

    /** Stops the thread, letting a checkpoint in progress finish, then closes the connection. */
    @Override
    public void close() throws SQLException {
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
        connection.close();
    }
}
