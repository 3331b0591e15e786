package dev.tandem.testkit.transport;

import dev.tandem.messaging.Message;
import dev.tandem.messaging.PipelinedBatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link PipelinedBatchListener} whose batches stay in flight until the test completes or fails them, for tests of
 * what a transport does while batches are in flight. Records every submission and every {@link #resume()}. Call
 * {@link #release()} before closing the consumption: a transport closes only once its batches in flight completed.
 */
public final class HeldPipelinedListener implements PipelinedBatchListener {

    private final List<List<Message>> submitted = new ArrayList<>();
    private final List<CompletableFuture<Void>> futures = new ArrayList<>();
    private int resumes;
    private boolean released;

    @Override
    public synchronized CompletableFuture<Void> submit(List<Message> messages) {
        CompletableFuture<Void> f = released ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        submitted.add(messages);
        futures.add(f);
        return f;
    }

    @Override
    public synchronized void resume() {
        resumes++;
    }

    @Override
    public void onMessages(List<Message> messages) {
        throw new AssertionError("a pipelined listener gets its batches through submit");
    }

    /** The batches submitted so far, in order. */
    public synchronized List<List<Message>> submitted() {
        return List.copyOf(submitted);
    }

    /** Every message submitted so far, in order. */
    public synchronized List<Message> received() {
        return submitted.stream().flatMap(List::stream).toList();
    }

    public synchronized int resumes() {
        return resumes;
    }

    /** Completes submission {@code index} (from 0). */
    public synchronized void complete(int index) {
        futures.get(index).complete(null);
    }

    /** Fails submission {@code index} (from 0), as a listener that must see it again. */
    public synchronized void fail(int index, RuntimeException failure) {
        futures.get(index).completeExceptionally(failure);
    }

    /** Completes every submission so far. */
    public synchronized void completeAll() {
        futures.forEach(f -> f.complete(null));
    }

    /** Completes every submission so far and every one to come. */
    public synchronized void release() {
        released = true;
        completeAll();
    }
}
