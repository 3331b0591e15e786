package dev.tandem.eventstore.support;

import dev.tandem.core.ClosedException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.StoreOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches concurrent commits into one database transaction on a single, named writer thread.
 *
 * <p>While one batch is being made durable, the next one queues up, so the number of fsyncs (or
 * round trips) grows with time spent, not with the number of callers. Each commit's future
 * completes only after its batch is durable, on a virtual thread started for that batch: a
 * continuation attached without {@code *Async} runs there, so it never holds up the writer or the
 * next sync, and it may block (read the store, even commit and wait) without waiting for itself.
 * The queue is bounded: when it is full, submitters block.
 *
 * <p>With a {@link Syncer} (a backend whose {@link BatchWriter#write} hands the batch to the OS but
 * does not wait for the disk), durability is a second stage on a thread of its own: the writer
 * thread goes on with the next batch while the syncer makes every batch written so far durable with
 * one call, then completes their futures in order. So the next batch's statements run while the
 * previous batches' fsync is under way, and one fsync covers every batch written meanwhile.
 *
 * <p>A commit submitted with a written-listener ({@link #submit(Commit, Consumer)}) learns its result as soon as
 * its batch is written, on the writer thread, before it is durable: every commit submitted after that is written
 * after it (it sees its writes), and is durable only if it is too.
 */
public final class GroupCommitter implements AutoCloseable {

    /** Writes one batch in one transaction and reports each commit's outcome, in order. */
    @FunctionalInterface
    public interface BatchWriter {
        List<BatchPlanner.Outcome> write(List<Commit> batch) throws Exception;
    }

    /**
     * Makes durable every batch whose {@link BatchWriter#write} returned before this call began (the
     * writes of a failed batch included: they were rolled back and need nothing). Runs on the syncer
     * thread, concurrently with the writer thread's next batch.
     */
    @FunctionalInterface
    public interface Syncer {
        void sync() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(Commit commit, CompletableFuture<CommitResult> result, Consumer<? super CommitResult> onWritten) {}

    /** A written batch waiting for the syncer: its commits and their outcomes, or the error of the whole batch. */
    private record Written(List<Pending> batch, List<BatchPlanner.Outcome> outcomes, TandemException error) {}

    private final String name;
    private final StoreOptions options;
    private final BatchWriter writer;
    private final Function<Exception, TandemException> errorMapper;
    private final Runnable afterBatch;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private final Syncer syncer;
    private final Thread syncThread;
    private final ReentrantLock writtenLock = new ReentrantLock();
    private final Condition writtenAdded = writtenLock.newCondition();
    private final Condition writtenTaken = writtenLock.newCondition();
    private List<Written> written = new ArrayList<>();
    /** Commits the writer took from the queue in one go (one lock acquisition for many) and has not batched yet; writer thread only. */
    private final ArrayDeque<Pending> taken = new ArrayDeque<>();
    private boolean writerDone;
    private volatile boolean closed;

    /**
     * @param name names the writer thread {@code tandem-<name>-writer}
     * @param errorMapper turns a failure of a whole batch into the error every commit in it gets
     * @param afterBatch runs on the writer thread after each durable batch (e.g. wakes subscriptions)
     */
    public GroupCommitter(String name, StoreOptions options, BatchWriter writer, Function<Exception, TandemException> errorMapper, Runnable afterBatch) {
        this(name, options, writer, null, errorMapper, afterBatch);
    }

    /**
     * @param syncer makes written batches durable on a thread of its own ({@code tandem-<name>-syncer}); null when
     *     {@code writer} returns only once its batch is durable
     * @param errorMapper turns a failure of a whole batch, or of a sync, into the error every commit in it gets
     * @param afterBatch runs after each durable batch (e.g. wakes subscriptions)
     */
    public GroupCommitter(String name, StoreOptions options, BatchWriter writer, Syncer syncer,
            Function<Exception, TandemException> errorMapper, Runnable afterBatch) {
        this.name = name;
        this.syncer = syncer;
        this.options = options;
        this.writer = writer;
        this.errorMapper = errorMapper;
        this.afterBatch = afterBatch;
        this.queue = new ArrayBlockingQueue<>(options.maxQueuedCommits());
        this.thread = Thread.ofPlatform().name("tandem-" + name + "-writer").daemon(true).unstarted(this::run);
        this.syncThread = syncer == null ? null : Thread.ofPlatform().name("tandem-" + name + "-syncer").daemon(true).unstarted(this::syncLoop);
        this.thread.start();
        if (syncThread != null) {
            syncThread.start();
        }
    }

    /** Queues {@code commit}; blocks while the queue is full. */
    public CompletableFuture<CommitResult> submit(Commit commit) {
        return submit(commit, null);
    }

    /**
     * Queues {@code commit}; blocks while the queue is full. If it is committed, {@code onWritten} (when not null) gets
     * its result once it is written, before its future completes: on the writer thread as soon as its batch is written
     * with a {@link Syncer}, just before the future completes without one. It must be quick, must not block and should
     * not throw (a failure is logged and ignored). It is not called for a refused or failed commit.
     */
    public CompletableFuture<CommitResult> submit(Commit commit, Consumer<? super CommitResult> onWritten) {
        if (closed) {
            throw new ClosedException("event store " + name);
        }
        Pending p = new Pending(commit, new CompletableFuture<>(), onWritten);
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
        try {
            writeUntilClosed();
        } finally {
            if (syncer != null) {
                writerDone();
            }
        }
    }

    private void writeUntilClosed() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = next();
                if (first == null) {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                }
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                awaitSyncerTookWritten();
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
            Pending next = next();
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

    /** The next queued commit without waiting, null when there is none; takes whatever is queued at once when it needs more. */
    private Pending next() {
        Pending p = taken.poll();
        if (p == null && queue.drainTo(taken, options.groupCommitMaxCommits()) > 0) {
            p = taken.poll();
        }
        return p;
    }

    private void writeBatch(List<Pending> batch) {
        List<Commit> commits = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            commits.add(p.commit());
        }
        List<BatchPlanner.Outcome> outcomes = null;
        TandemException error = null;
        try {
            outcomes = writer.write(commits);
        } catch (Exception e) {
            error = errorMapper.apply(e);
        }
        if (syncer != null) {
            if (outcomes != null) {
                tellWritten(batch, outcomes);
            }
            handOver(new Written(List.copyOf(batch), outcomes, error));
            return;
        }
        if (error != null) {
            completeLater(List.of(new Written(List.copyOf(batch), null, error)), null);
            return;
        }
        afterBatch();
        completeLater(List.of(new Written(List.copyOf(batch), outcomes, null)), null);
    }

    private void afterBatch() {
        try {
            afterBatch.run();
        } catch (RuntimeException e) {
            log.warn("{}: after-batch hook failed", name, e);
        }
    }

    /**
     * Completes the futures of {@code written} (failing them with {@code error} when it is not null) on a virtual
     * thread of their own, in order: continuations then run off the writer and syncer threads.
     */
    private void completeLater(List<Written> written, TandemException error) {
        Thread.ofVirtual().name("tandem-" + name + "-completion").start(() -> {
            for (Written w : written) {
                if (w.error() != null) {
                    fail(w.batch(), w.error());
                } else if (error != null) {
                    fail(w.batch(), error);
                } else {
                    complete(w.batch(), w.outcomes());
                }
            }
        });
    }

    /** Calls the written-listeners of the committed commits of a written batch. */
    private void tellWritten(List<Pending> batch, List<BatchPlanner.Outcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.onWritten() != null && outcomes.get(i) instanceof BatchPlanner.Outcome.Committed c) {
                tellWritten(p, c.result());
            }
        }
    }

    private void tellWritten(Pending p, CommitResult result) {
        try {
            p.onWritten().accept(result);
        } catch (RuntimeException e) {
            log.warn("{}: a written-listener failed (the commit stands)", name, e);
        }
    }

    private void complete(List<Pending> batch, List<BatchPlanner.Outcome> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            switch (outcomes.get(i)) {
                case BatchPlanner.Outcome.Committed c -> {
                    Pending p = batch.get(i);
                    if (syncer == null && p.onWritten() != null) { // written and durable are one step: told just before
                        tellWritten(p, c.result());
                    }
                    p.result().complete(c.result());
                }
                case BatchPlanner.Outcome.Refused r -> batch.get(i).result().completeExceptionally(r.reason());
            }
        }
    }

    private void handOver(Written w) {
        writtenLock.lock();
        try {
            written.add(w);
            writtenAdded.signal();
        } finally {
            writtenLock.unlock();
        }
    }

    /**
     * With a syncer, a batch written while an fsync runs waits for the next one; so do all commits that arrive
     * meanwhile. Writing them as one batch just before that fsync starts, rather than as many small ones, writes each
     * page once instead of once per small transaction: so the writer waits until the syncer has taken what it wrote.
     */
    private void awaitSyncerTookWritten() throws InterruptedException {
        if (syncer == null) {
            return;
        }
        writtenLock.lock();
        try {
            while (!written.isEmpty()) {
                writtenTaken.await();
            }
        } finally {
            writtenLock.unlock();
        }
    }

    /** Tells the syncer that no more batches will come; it finishes the ones it has and stops. */
    private void writerDone() {
        writtenLock.lock();
        try {
            writerDone = true;
            writtenAdded.signal();
        } finally {
            writtenLock.unlock();
        }
    }

    /** The written batches not yet durable, waiting for at least one; empty once the writer is done and all are synced. */
    private List<Written> takeWritten() throws InterruptedException {
        writtenLock.lock();
        try {
            while (written.isEmpty() && !writerDone) {
                writtenAdded.await();
            }
            List<Written> taken = written;
            written = new ArrayList<>();
            writtenTaken.signal();
            return taken;
        } finally {
            writtenLock.unlock();
        }
    }

    private void syncLoop() {
        while (true) {
            List<Written> taken;
            try {
                taken = takeWritten();
            } catch (InterruptedException e) {
                failWritten(new ClosedException("event store " + name));
                return;
            }
            if (taken.isEmpty()) {
                return;
            }
            // Refusals and failures wait for the sync too: they may rest on what earlier, not yet durable batches wrote.
            TandemException syncError = null;
            try {
                syncer.sync();
            } catch (Exception | Error e) {
                log.error("{}: making written batches durable failed", name, e);
                syncError = e instanceof Exception ex ? errorMapper.apply(ex) : new StoreUnavailableException("sync of " + name + " failed: " + e, e);
            }
            if (syncError == null) {
                afterBatch();
            }
            completeLater(taken, syncError);
        }
    }

    private void failWritten(TandemException error) {
        writtenLock.lock();
        try {
            for (Written w : written) {
                fail(w.batch(), error);
            }
            written.clear();
            writtenTaken.signal();
        } finally {
            writtenLock.unlock();
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
            if (syncThread != null) {
                syncThread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            if (syncThread != null) {
                syncThread.interrupt();
            }
        }
        if (!thread.isAlive()) { // taken is the writer's: only once it has stopped
            fail(List.copyOf(taken), new ClosedException("event store " + name));
            taken.clear();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new ClosedException("event store " + name));
        }
    }
}
