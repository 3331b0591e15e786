package dev.tandem.eventstore.sqlite;

import dev.tandem.core.ClosedException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.support.DurabilityFence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;

/**
 * A few read-only connections, opened on demand. In WAL mode they read a consistent snapshot each,
 * concurrently with the writer; a connection serves one reader at a time.
 */
final class ReaderPool implements AutoCloseable {

    /** One read, given a connection with its cached statements. */
    interface Read<T> {
        T run(StatementCache reader) throws Exception;
    }

    private final Path file;
    private final String name;
    private final int busyTimeoutMillis;
    private final int max;
    private final BlockingQueue<StatementCache> idle;
    private final AtomicInteger opened = new AtomicInteger();
    private final DurabilityFence fence;
    private volatile boolean closed;

    /** @param fence each read waits, after its query, until what it may have seen is durable */
    ReaderPool(Path file, String name, int max, int busyTimeoutMillis, DurabilityFence fence) {
        this.fence = fence;
        this.file = file;
        this.name = name;
        this.max = max;
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    <T> T read(String action, Read<T> read) {
        StatementCache reader = borrow();
        boolean healthy = false;
        try {
            T result = read.run(reader);
            healthy = true;
            fence.awaitReadable();
            return result;
        } catch (Exception e) {
            throw SqliteErrors.map(file, action, e);
        } finally {
            release(reader, healthy);
        }
    }

    private StatementCache borrow() {
        while (true) {
            if (closed) {
                throw new ClosedException(name);
            }
            StatementCache reader = idle.poll();
            if (reader != null) {
                return reader;
            }
            int n = opened.get();
            if (n < max && opened.compareAndSet(n, n + 1)) {
                try {
                    return new StatementCache(open());
                } catch (SQLException | RuntimeException e) {
                    opened.decrementAndGet();
                    throw SqliteErrors.map(file, "opening a reader connection", e);
                }
            }
            try {
                // Bounded wait: a discarded connection frees a slot without anything being offered to the queue.
                reader = idle.poll(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for a reader connection of " + name, e);
            }
            if (reader != null) {
                return reader;
            }
        }
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(busyTimeoutMillis);
        config.setCacheSize(-16384);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private void release(StatementCache reader, boolean healthy) {
        if (healthy && !closed && idle.offer(reader)) {
            if (closed && idle.remove(reader)) {
                discard(reader); // close() ran meanwhile and may have missed it
            }
            return;
        }
        discard(reader);
    }

    private void discard(StatementCache reader) {
        opened.decrementAndGet();
        try {
            reader.close();
            reader.connection().close();
        } catch (SQLException e) {
            // the connection is being thrown away; nothing depends on its orderly close
        }
    }

    @Override
    public void close() {
        closed = true;
        StatementCache reader;
        while ((reader = idle.poll()) != null) {
            discard(reader);
        }
    }
}
