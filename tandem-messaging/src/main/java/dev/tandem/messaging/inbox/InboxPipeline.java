package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.messaging.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
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
 * <p>For a handler that {@linkplain dev.tandem.messaging.MessageHandler#writesBlind writes blind}, a key's next
 * message starts as soon as the previous one's handling commit is written, before it is durable: the store keeps the
 * order (the next commit is written after it, and durable only if it is), and the previous message still settles, and
 * counts for its batch, only once durable. Should it then fail after all (its store failed to sync), the pipeline
 * breaks, as its key has moved on. And a key with several messages waiting has up to {@link #MAX_GROUP} of them
 * handled at once and committed as one ({@link CommitGroup}); if that commit fails, nothing of it was written, and
 * each is attempted alone.
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

    /** The most messages of one key handled together in one commit (for a handler that writes blind). */
    static final int MAX_GROUP = 64;

    /** The most events a group's merged commit holds. */
    static final int MAX_GROUP_EVENTS = 1_000;

    private static final class Batch {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int remaining;
    }

    private static final class Item extends Handling.Item {
        final Batch batch;
        /** Its handling commit is written and the next message of its key went ahead; it settles once durable. */
        boolean released;
        /** It is attempted alone from now on: a group it was in failed, or it failed alone. */
        boolean alone;
        /** The first item of a group in flight: the group, in order; null otherwise. */
        List<Item> group;

        Item(Message message, Batch batch) {
            super(message);
            this.batch = batch;
        }
    }

    /** An attempt's outcome: durable (or failed) when {@code written} is false, only written when it is true. */
    private record Settled(Item item, Throwable failure, boolean written) {}

    private final Handling handling;
    private final boolean blind;
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
    /** Items whose key went ahead once their commit was written, not yet settled. */
    private final Set<Item> released = new HashSet<>();

    InboxPipeline(Handling handling, boolean blind, String name) {
        this.handling = handling;
        this.blind = blind;
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
                        if (lanes.isEmpty() && released.isEmpty() && System.nanoTime() - idleSince >= LINGER_NANOS) {
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
                    if (s.written()) {
                        release(s.item());
                        continue;
                    }
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
                    startLane(lane);
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

    /** Starts the first message of {@code lane}, or a group of its first messages (driver thread). */
    private void startLane(ArrayDeque<Item> lane) {
        Item head = lane.peek();
        if (!blind || lane.size() < 2 || !groupable(head)) {
            start(head);
            return;
        }
        CommitGroup merged = new CommitGroup(MAX_GROUP_EVENTS);
        List<Item> group = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        for (Item item : lane) {
            if (group.size() == MAX_GROUP || !groupable(item) || !ids.add(item.message.id())) {
                break; // a repeated message id goes after the group: its inbox entry would clash with the first's
            }
            Commit commit = handling.prepare(item);
            if (commit == null) {
                break;
            }
            if (!merged.add(commit)) {
                handling.dropPrepared(item);
                break;
            }
            group.add(item);
        }
        if (group.size() < 2) { // the head could not be prepared (its attempt alone settles why), or is the only one
            if (group.isEmpty()) {
                start(head);
            } else {
                watch(head, handling.commit(head.attempted, written(head)));
            }
            return;
        }
        head.group = group;
        watch(head, handling.commit(merged.build(), written(head)));
    }

    /** Whether {@code item} may be handled in a group: it has not failed, alone or in one. */
    private static boolean groupable(Item item) {
        return !item.alone && item.failures == 0 && item.conflicts == 0;
    }

    private void start(Item item) {
        watch(item, handling.attempt(item, blind ? written(item) : null));
    }

    private Runnable written(Item item) {
        return () -> post(new Settled(item, null, true));
    }

    private void watch(Item item, CompletableFuture<?> attempt) {
        attempt.whenComplete((ok, error) -> post(new Settled(item, error == null ? null : Handling.unwrap(error), false)));
    }

    /** {@code item}'s handling commit (or its group's) is written: the next message of its key may start (driver thread). */
    private void release(Item item) {
        if (item.batch.done.isDone()) {
            return; // the pipeline broke meanwhile
        }
        ArrayDeque<Item> lane = lanes.get(item.message.partitionKey());
        for (Item i : item.group == null ? List.of(item) : item.group) {
            if (lane == null || lane.peek() != i) {
                throw new IllegalStateException("a written message is not at the head of its key's lane: " + i.message);
            }
            i.released = true;
            released.add(i);
            lane.poll();
        }
        goOn(lane, item.message.partitionKey());
    }

    /** The lane of {@code key} lost its head: its next message's turn, or the lane goes. */
    private void goOn(ArrayDeque<Item> lane, String key) {
        if (lane.isEmpty()) {
            lanes.remove(key);
        } else {
            ready.add(lane);
        }
    }

    /** {@code item} is done: one fewer for its batch to wait for. */
    private static void countDone(Item item) {
        if (--item.batch.remaining == 0) {
            item.batch.done.complete(null);
        }
    }

    private void settle(Settled s) {
        Item item = s.item();
        if (item.group != null) {
            settleGroup(item, s.failure());
            return;
        }
        if (item.released && released.remove(item) && s.failure() != null) {
            // written, then not made durable (its store failed to sync): its key went ahead, so nothing may go on
            item.batch.done.completeExceptionally(s.failure());
            breakAll(s.failure());
            return;
        }
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
        if (item.released) { // its key went on when it was written: it only counts for its batch now
            if (verdict != Handling.Verdict.DONE) {
                throw new IllegalStateException("a durable handling commit was not done: " + item.message);
            }
            countDone(item);
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
        goOn(lane, item.message.partitionKey());
        countDone(item);
    }

    /** Settles a group whose first item is {@code head}: each item as if committed alone, or each attempted alone again. */
    private void settleGroup(Item head, Throwable failure) {
        List<Item> group = head.group;
        if (failure == null && !head.released) { // durable without having been reported written (a store may tell both at once)
            release(head);
        }
        head.group = null;
        if (failure == null || head.released) { // durable; or written, then failed: the pipeline breaks on its first item
            for (Item i : group) {
                settle(new Settled(i, failure, false));
            }
            return;
        }
        ArrayDeque<Item> lane = lanes.get(head.message.partitionKey());
        if (lane == null || lane.peek() != head) {
            return; // the pipeline broke meanwhile: their batches failed
        }
        try {
            handling.groupFailed(group, failure);
        } catch (InterruptedException | RuntimeException e) {
            breakAll(e);
            return;
        }
        for (Item i : group) {
            i.alone = true;
        }
        ready.add(lane);
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
        for (Item i : released) {
            i.batch.done.completeExceptionally(cause);
        }
        lanes.clear();
        ready.clear();
        delayed.clear();
        released.clear();
    }
}
