package dev.tandem.eventstore.support;

import dev.tandem.core.ClosedException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches concurrent commits into one database transaction on a single, named writer thread.
 *
 * <p>While one batch is being made durable, the next one queues up, so the number of fsyncs (or
 * round trips) grows with time spent, not with the number of callers. Each commit's future
 * completes only after its batch is durable; continuations attached without {@code *Async} run on
 * the writer thread, so keep them short. The queue is bounded: when it is full, submitters block.
 */
public final class GroupCommitter implements AutoCloseable {

    /** Writes one batch in one transaction and reports each commit's outcome, in order. */
    @FunctionalInterface
    public interface BatchWriter {
        List<BatchPlanner.Outcome> write(List<Commit> batch) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(Commit commit, CompletableFuture<CommitResult> result) {}

    private final String name;
    private final StoreOptions options;
    private final BatchWriter writer;
    private final Function<Exception, TandemException> errorMapper;
    private final Runnable afterBatch;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param name names the writer thread {@code tandem-<name>-writer}
     * @param errorMapper turns a failure of a whole batch into the error every commit in it gets
     * @param afterBatch runs on the writer thread after each durable batch (e.g. wakes subscriptions)
     */
    public GroupCommitter(String name, StoreOptions options, BatchWriter writer, Function<Exception, TandemException> errorMapper, Runnable afterBatch) {
        this.name = name;
        this.options = options;
        this.writer = writer;
        this.errorMapper = errorMapper;
        this.afterBatch = afterBatch;
        this.queue = new ArrayBlockingQueue<>(options.maxQueuedCommits());
        this.thread = Thread.ofPlatform().name("tandem-" + name + "-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Queues {@code commit}; blocks while the queue is full. */
    public CompletableFuture<CommitResult> submit(Commit commit) {
        if (closed) {
            throw new ClosedException("event store " + name);
        }
        Pending p = new Pending(commit, new CompletableFuture<>());
        try {
            queue.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while queueing a commit to " + name, e);
        }
        if (closed && queue.remove(p)) {
            throw new ClosedException("event store " + name);
        }
        return p.result();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                fill(batch);
                writeBatch(batch);
            } catch (InterruptedException e) {
                fail(batch, new ClosedException("event store " + name));
                return;
            } catch (RuntimeException | Error e) {
                log.error("{} writer failed unexpectedly; failing the batch and going on", name, e);
                fail(batch, new StoreUnavailableException("writer of " + name + " failed: " + e, e));
            } finally {
                batch.clear();
            }
        }
    }

    private void fill(List<Pending> batch) throws InterruptedException {
        int max = options.groupCommitMaxCommits();
        int events = batch.getFirst().commit().eventCount();
        long deadline = System.nanoTime() + options.groupCommitMaxWait().toNanos();
        while (batch.size() < max && events < options.maxEventsPerCommit()) {
            Pending next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
            }
            batch.add(next);
            events += next.commit().eventCount();
        }
    }

    private void writeBatch(List<Pending> batch) {
        List<Commit> commits = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            commits.add(p.commit());
        }
        List<BatchPlanner.Outcome> outcomes;
        try {
            outcomes = writer.write(commits);
        } catch (Exception e) {
            fail(batch, errorMapper.apply(e));
            return;
        }
        try {
            afterBatch.run();
        } catch (RuntimeException e) {
            log.warn("{}: after-batch hook failed", name, e);
        }
        for (int i = 0; i < batch.size(); i++) {
            switch (outcomes.get(i)) {
                case BatchPlanner.Outcome.Committed c -> batch.get(i).result().complete(c.result());
                case BatchPlanner.Outcome.Refused r -> batch.get(i).result().completeExceptionally(r.reason());
            }
        }
    }

    private static void fail(List<Pending> batch, TandemException error) {
        for (Pending p : batch) {
            p.result().completeExceptionally(error);
        }
    }

    /** Refuses new commits, writes the queued ones, and stops the writer thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new ClosedException("event store " + name));
        }
    }
}
