package dev.tandem.eventstore.sqlite;

import dev.tandem.core.ClosedException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.support.DurabilityFence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few read-only connections, opened on demand. In WAL mode they read a consistent snapshot each,
 * concurrently with the writer; a connection serves one reader at a time.
 */
final class ReaderPool implements AutoCloseable {

    /** One read, given a connection with its cached statements. */
    interface Read<T> {
        T run(StatementCache reader) throws Exception;
    }

    /**
     * What a read's result rests on, for the {@link DurabilityFence}: the highest event position it holds, 0 when it
     * holds no event (nothing a crash could take back), or {@link #UNPOSITIONED} for rows without positions.
     */
    interface Seen<T> {
        long position(T result);
    }

    /** A result that holds rows without event positions (an inbox entry, a checkpoint, a snapshot): it waits for every write begun. */
    static final long UNPOSITIONED = Long.MAX_VALUE;

    private final Path file;
    private final String name;
    private final int max;
    private final BlockingQueue<StatementCache> idle;
    private final AtomicInteger opened = new AtomicInteger();
    private final DurabilityFence fence;
    private volatile boolean closed;

    /** @param fence each read waits, after its query and with its connection given back, until what it saw is durable */
    ReaderPool(Path file, String name, int max, DurabilityFence fence) {
        this.fence = fence;
        this.file = file;
        this.name = name;
        this.max = max;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    /**
     * Runs {@code read} on a pooled connection, gives the connection back, then waits until what the result rests on
     * ({@code seen}) is durable. The connection is not held while waiting, so a read waiting for an fsync never keeps
     * another read (say, one on the thread that completes commits) from a connection.
     */
    <T> T read(String action, Read<T> read, Seen<T> seen) {
        T result;
        StatementCache reader = borrow();
        boolean healthy = false;
        try {
            result = read.run(reader);
            healthy = true;
        } catch (Exception e) {
            throw SqliteErrors.map(file, action, e);
        } finally {
            release(reader, healthy);
        }
        long position = seen.position(result);
        if (position == UNPOSITIONED) {
            fence.awaitReadable();
        } else {
            fence.awaitDurable(position);
        }
        return result;
    }

    /** Waits until events up to {@code position}, read without a connection, are durable. */
    void awaitDurable(long position) {
        if (closed) {
            throw new ClosedException(name);
        }
        fence.awaitDurable(position);
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
        Connection connection = SqliteEventStore.connect(file, true);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA cache_size = -16384");
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
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
