package dev.tandem.testkit.transport;

import dev.tandem.messaging.Message;
import dev.tandem.messaging.PipelinedBatchListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link PipelinedBatchListener} that handles batches on a worker thread of its own, in the order submitted,
 * and fails the batches whose submission number (from 1) is in {@code failing}: from that failure until
 * {@link #resume()} every batch fails, as the contract asks. Records what it handled, in order.
 */
public final class FlakyPipelinedListener implements PipelinedBatchListener, AutoCloseable {

    private final Set<Integer> failing;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon(true)
            .name("flaky-pipelined-listener").unstarted(r));
    private final List<Message> handled = new ArrayList<>();
    private int submissions;
    private boolean failed;
    private int resumes;

    public FlakyPipelinedListener(Set<Integer> failing) {
        this.failing = Set.copyOf(failing);
    }

    @Override
    public synchronized CompletableFuture<Void> submit(List<Message> messages) {
        int number = ++submissions;
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker.execute(() -> handle(number, messages, done));
        return done;
    }

    private void handle(int number, List<Message> messages, CompletableFuture<Void> done) {
        boolean ok;
        synchronized (this) {
            if (failing.contains(number)) {
                failed = true;
            }
            ok = !failed;
            if (ok) {
                handled.addAll(messages);
            }
        }
        if (ok) {
            done.complete(null);
        } else {
            done.completeExceptionally(new IllegalStateException("batch " + number + " fails on purpose; it must come again"));
        }
    }

    @Override
    public synchronized void resume() {
        failed = false;
        resumes++;
    }

    @Override
    public void onMessages(List<Message> messages) {
        throw new AssertionError("a pipelined listener gets its batches through submit");
    }

    /** Everything handled, in the order handled (a redelivered message may appear again). */
    public synchronized List<Message> handled() {
        return List.copyOf(handled);
    }

    /** Distinct ids handled. */
    public synchronized Set<UUID> ids() {
        Set<UUID> ids = new LinkedHashSet<>();
        handled.forEach(m -> ids.add(m.id()));
        return ids;
    }

    public synchronized int resumes() {
        return resumes;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
