package dev.tandem.eventstore.support;

import dev.tandem.eventstore.EventBatchHandler;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription that reads {@link EventStore#readAll} in batches on its own thread and waits on an
 * {@link AppendSignal} when it has caught up.
 *
 * <p>It never skips an event as long as the store's {@code readAll} only returns events once every
 * lower position is visible too (each backend guarantees that). A failing handler gets the same
 * batch again after a capped, jittered backoff: delivery is at least once.
 *
 * <p>A store may also give it a {@link TailReader}, which answers from what the store's own writer committed
 * without asking the database whether anyone else wrote after it. The subscription then reads through it when woken
 * by its store's appends, and through {@code readAll} at least once per idle poll, which finds what writers in
 * other processes (or other stores on the same file) appended: they were only ever seen by polling.
 */
public final class PollingSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(PollingSubscription.class);

    private final EventStore store;
    private final SubscriptionRequest request;
    private final EventBatchHandler handler;
    private final AppendSignal signal;
    private final Duration idlePoll;
    private final TailReader tail;
    private final Thread thread;
    private final PositionWatch position;
    private volatile boolean running = true;

    /**
     * Reads of the log's tail that may leave out events appended by writers other than the store's own (and only
     * those): answering from memory, they need no database round trip to learn that nothing else came after.
     */
    @FunctionalInterface
    public interface TailReader {

        /**
         * Up to {@code limit} events after {@code afterPosition}, in order, every one of them durable, with no
         * position skipped; possibly fewer (even none) than {@code readAll} would return, but only by leaving out
         * events that other writers appended after the last one returned.
         */
        List<RecordedEvent> readTail(long afterPosition, int limit) throws Exception;
    }

    /**
     * @param idlePoll how long to wait for a signal before reading again anyway (covers writers in other processes)
     */
    public PollingSubscription(EventStore store, SubscriptionRequest request, EventBatchHandler handler, AppendSignal signal, Duration idlePoll) {
        this(store, request, handler, signal, idlePoll, null);
    }

    /**
     * @param idlePoll how long to wait for a signal before reading again anyway, and the longest time between two reads
     *     through {@code readAll} (covers writers in other processes)
     * @param tail the store's reads of its own tail, or null to read through {@code readAll} only
     */
    public PollingSubscription(EventStore store, SubscriptionRequest request, EventBatchHandler handler, AppendSignal signal, Duration idlePoll,
            TailReader tail) {
        this.store = store;
        this.tail = tail;
        this.request = request;
        this.handler = handler;
        this.signal = signal;
        this.idlePoll = idlePoll;
        this.position = new PositionWatch(request.durable() ? store.loadCheckpoint(request.name()).orElse(0L) : request.afterPosition());
        this.thread = Thread.ofPlatform().name("tandem-subscription-" + request.name()).daemon(true).unstarted(this::run);
    }

    /** Starts the subscription thread and returns {@code this}. */
    public PollingSubscription start() {
        thread.start();
        return this;
    }

    @Override
    public String name() {
        return request.name();
    }

    @Override
    public long position() {
        return position.get();
    }

    @Override
    public boolean awaitPosition(long target, Duration timeout) throws InterruptedException {
        return position.await(target, timeout);
    }

    private void run() {
        long backoffMillis = 0;
        long fullReadAt = System.nanoTime() - idlePoll.toNanos(); // the first read is a full one
        while (running) {
            try {
                long seen = signal.generation();
                List<RecordedEvent> batch;
                if (tail == null || System.nanoTime() - fullReadAt >= idlePoll.toNanos()) {
                    fullReadAt = System.nanoTime();
                    batch = store.readAll(position.get(), request.batchSize());
                } else {
                    batch = tail.readTail(position.get(), request.batchSize());
                }
                if (batch.isEmpty()) {
                    signal.awaitAfter(seen, idlePoll);
                    continue;
                }
                deliver(batch);
                backoffMillis = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                backoffMillis = backoffMillis == 0 ? 10 : Math.min(backoffMillis * 2, 5_000);
                long jittered = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
                log.warn("subscription {} failed at position {}; retrying in {} ms", request.name(), position.get(), jittered, e);
                try {
                    Thread.sleep(jittered); // backoff before a retry, not synchronisation
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void deliver(List<RecordedEvent> batch) throws Exception {
        handler.handle(batch);
        long last = batch.getLast().position();
        if (request.durable() && !request.handlerCommitsCheckpoint()) {
            store.saveCheckpoint(request.name(), last);
        }
        position.advanceTo(last);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
