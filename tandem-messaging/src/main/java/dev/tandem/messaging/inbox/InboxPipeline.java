package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's handling across batches ({@link dev.tandem.messaging.PipelinedBatchListener}): one lane per partition
 * key, kept across batches, on a driver thread of its own. As soon as a key's message has settled, the key's next
 * message starts, whichever batch it came in; so the handlers of the next batch run while the commits of the
 * previous one are being made durable, and no delivered batch waits for a whole round.
 *
 * <p>The handler runs only on the driver thread, one message at a time, as with {@link BatchRun}. A batch completes
 * when every message in it settled. A failure that stops delivery ({@link Handling#settle} throws: the store closed
 * or a parking failed) breaks the pipeline: every batch not yet complete fails, and so does every batch submitted
 * until {@link #resume}.
 */
final class InboxPipeline {

    private static final Logger log = LoggerFactory.getLogger(InboxPipeline.class);

    /** How long the driver thread waits for more work before it ends (a new batch starts it again). */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final class Batch {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int remaining;
    }

    private static final class Item extends Handling.Item {
        final Batch batch;

        Item(Message message, Batch batch) {
            super(message);
            this.batch = batch;
        }
    }

    private record Settled(Item item, Throwable failure) {}

    private final Handling handling;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition caughtUp = lock.newCondition();

    // guarded by lock
    private List<Item> arrived = new ArrayList<>();
    private List<Settled> settled = new ArrayList<>();
    private Throwable broken;
    private boolean driving;
    /** The driver has started all it can of what was submitted: true from then until more arrives. */
    private boolean waiting;

    // the driver thread's own
    private final Map<String, ArrayDeque<Item>> lanes = new HashMap<>();
    private final ArrayDeque<ArrayDeque<Item>> ready = new ArrayDeque<>();
    private final PriorityQueue<Item> delayed = new PriorityQueue<>(Comparator.comparingLong((Item i) -> i.notBeforeNanos));

    InboxPipeline(Handling handling, String name) {
        this.handling = handling;
        this.name = name;
    }

    CompletableFuture<Void> submit(List<Message> messages) {
        InvalidInputException.requireNonNull(messages, "messages");
        Batch batch = new Batch();
        List<Item> items = new ArrayList<>(messages.size());
        for (Message m : messages) {
            items.add(new Item(InvalidInputException.requireNonNull(m, "messages[]"), batch));
        }
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        batch.remaining = items.size();
        handling.precheck(items); // on the delivering thread, before the driver sees them
        lock.lock();
        try {
            if (broken != null) {
                return CompletableFuture.failedFuture(broken);
            }
            arrived.addAll(items);
            waiting = false;
            if (!driving) {
                driving = true;
                Thread.ofPlatform().name("tandem-inbox-" + name).daemon(true).start(this::drive);
            } else {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
        return batch.done;
    }

    /** See {@link dev.tandem.messaging.PipelinedBatchListener#awaitCaughtUp()}. */
    void awaitCaughtUp() throws InterruptedException {
        lock.lock();
        try {
            while (driving && !waiting) {
                caughtUp.await();
            }
        } finally {
            lock.unlock();
        }
    }

    void resume() {
        lock.lock();
        try {
            broken = null;
        } finally {
            lock.unlock();
        }
    }

    private void post(Settled s) {
        lock.lock();
        try {
            settled.add(s);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void drive() {
        try {
            while (true) {
                List<Item> newItems;
                List<Settled> newSettled;
                Throwable brokenNow;
                lock.lock();
                try {
                    if (arrived.isEmpty() && !waiting) { // everything submitted is started or waits behind its key
                        waiting = true;
                        caughtUp.signalAll();
                    }
                    long idleSince = System.nanoTime();
                    while (arrived.isEmpty() && settled.isEmpty() && !due()) {
                        long wait = delayed.isEmpty() ? LINGER_NANOS : delayed.peek().notBeforeNanos - System.nanoTime();
                        if (lanes.isEmpty() && System.nanoTime() - idleSince >= LINGER_NANOS) {
                            driving = false;
                            caughtUp.signalAll();
                            return;
                        }
                        wake.awaitNanos(Math.max(wait, 1));
                    }
                    newItems = arrived;
                    newSettled = settled;
                    arrived = new ArrayList<>();
                    settled = new ArrayList<>();
                    brokenNow = broken;
                } finally {
                    lock.unlock();
                }
                if (brokenNow != null) {
                    newItems.forEach(i -> i.batch.done.completeExceptionally(brokenNow));
                    newItems = List.of();
                }
                for (Item item : newItems) {
                    ArrayDeque<Item> lane = lanes.get(item.message.partitionKey());
                    if (lane == null) {
                        lane = new ArrayDeque<>();
                        lanes.put(item.message.partitionKey(), lane);
                        ready.add(lane);
                    }
                    lane.add(item);
                }
                boolean committed = false;
                for (Settled s : newSettled) {
                    committed |= s.failure() == null;
                    settle(s);
                }
                if (committed && !delayed.isEmpty()) { // a commit settled: those waiting for a write in flight may go
                    delayed.removeIf(this::releaseIfWaiting);
                }
                long now = System.nanoTime();
                while (!delayed.isEmpty() && delayed.peek().notBeforeNanos - now <= 0) {
                    ready.add(lanes.get(delayed.poll().message.partitionKey()));
                }
                ArrayDeque<Item> lane;
                while ((lane = ready.poll()) != null) {
                    start(lane.peek());
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            if (!(e instanceof InterruptedException)) {
                log.error("the inbox pipeline of {} failed unexpectedly", name, e);
            }
            breakAll(e);
            lock.lock();
            try {
                driving = false;
                caughtUp.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Moves {@code item} to its lane's turn if it waits for a write in flight; true if it did (driver thread). */
    private boolean releaseIfWaiting(Item item) {
        if (item.waitsForWrite) {
            ready.add(lanes.get(item.message.partitionKey()));
        }
        return item.waitsForWrite;
    }

    /** Whether a delayed item is due (under lock, on the driver thread). */
    private boolean due() {
        return !delayed.isEmpty() && delayed.peek().notBeforeNanos - System.nanoTime() <= 0;
    }

    private void start(Item item) {
        handling.attempt(item).whenComplete((ok, error) -> post(new Settled(item, error == null ? null : Handling.unwrap(error))));
    }

    private void settle(Settled s) {
        Item item = s.item();
        if (item.batch.done.isDone()) {
            return; // its batch failed when the pipeline broke: a later delivery handles the message again
        }
        Handling.Verdict verdict;
        try {
            verdict = handling.settle(item, s.failure());
        } catch (InterruptedException | RuntimeException e) {
            breakAll(e);
            return;
        }
        ArrayDeque<Item> lane = lanes.get(item.message.partitionKey());
        if (verdict == Handling.Verdict.AGAIN) {
            if (item.notBeforeNanos - System.nanoTime() <= 0) {
                ready.add(lane);
            } else {
                delayed.add(item);
            }
            return;
        }
        lane.poll();
        if (lane.isEmpty()) {
            lanes.remove(item.message.partitionKey());
        } else {
            ready.add(lane);
        }
        if (--item.batch.remaining == 0) {
            item.batch.done.complete(null);
        }
    }

    /** Fails every batch not yet complete, and every batch submitted until {@link #resume}. */
    private void breakAll(Throwable cause) {
        log.warn("the inbox of {} stops handling its delivered batches; they will be delivered again: {}", name, cause.toString());
        lock.lock();
        try {
            broken = cause;
        } finally {
            lock.unlock();
        }
        for (ArrayDeque<Item> lane : lanes.values()) {
            for (Item i : lane) {
                i.batch.done.completeExceptionally(cause);
            }
        }
        lanes.clear();
        ready.clear();
        delayed.clear();
    }
}
