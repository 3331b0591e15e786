package dev.tandem.messaging.inprocess;

import dev.tandem.core.ClosedException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.PipelinedBatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer group of one destination: a queue and a delivery thread that hands batches to the
 * group's members, each partition key always to the same member while membership is unchanged.
 *
 * <p>A batch for a plain listener is acknowledged (its publishes' tickets counted down) only when the
 * listener returned; when it throws, the same batch is delivered again after a short backoff.
 *
 * <p>A {@link PipelinedBatchListener} gets up to {@link #PIPELINED_BATCHES} batches at once; each is
 * acknowledged when its future completes, in any order. When one fails, or a member leaves, the
 * delivery thread first waits for every batch in flight to complete, then puts the failed ones back at
 * the head of the queue in their order (and resumes their listener), and only then delivers on: so a
 * key's messages reach its member, whichever it is now, in publish order.
 */
final class Group {

    private static final Logger log = LoggerFactory.getLogger(Group.class);

    private final String destination;
    private final String name;
    private final int maxBatch;
    private final Duration maxBackoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Set when a pipelined batch failed or a member left: the delivery thread must take stock before going on. */
    private volatile boolean attention;
    /** The delivery thread's own: pipelined members that may have batches in flight. */
    private final List<Member> delivering = new ArrayList<>();
    /** The pause before failed pipelined batches go out again; doubles while they keep failing. */
    private long redeliveryBackoffMillis = 1;

    /** How many batches a {@link PipelinedBatchListener} may have in flight. */
    static final int PIPELINED_BATCHES = 4;

    /** A batch handed to a pipelined member and not yet taken stock of. */
    private record InFlight(List<Entry> part, CompletableFuture<Void> done) {}

    Group(String destination, String name, int maxBatch, Duration maxBackoff, ThreadFactory threads) {
        this.destination = destination;
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxBackoff = maxBackoff;
        this.thread = threads.newThread(this::run);
        thread.start();
    }

    /**
     * A consumer of this group; delivery stops after its batch in progress (for a pipelined listener, after every
     * batch in flight) when {@code close}d. A pipelined listener's handler must not close its own consumption.
     */
    final class Member implements dev.tandem.messaging.Consumption {
        private final MessageBatchListener listener;
        private final PipelinedBatchListener pipelined;
        private final ReentrantLock busy = new ReentrantLock();
        private final Semaphore window = new Semaphore(PIPELINED_BATCHES);
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>(); // the delivery thread's own
        private volatile boolean closed;

        Member(MessageBatchListener listener) {
            this.listener = listener;
            this.pipelined = listener instanceof PipelinedBatchListener p ? p : null;
        }

        @Override
        public String destination() {
            return destination;
        }

        @Override
        public String group() {
            return name;
        }

        @Override
        public void close() {
            closed = true;
            members.remove(this);
            attend();
            if (Thread.currentThread() != thread) {
                busy.lock(); // waits for the batch in progress
                busy.unlock();
                if (pipelined != null) {
                    window.acquireUninterruptibly(PIPELINED_BATCHES); // and for every batch in flight
                    window.release(PIPELINED_BATCHES);
                }
            }
        }
    }

    Member join(MessageBatchListener listener) {
        Member m = new Member(listener);
        lock.lock();
        try {
            members.add(m);
            attention = true; // keys move between members: batches in flight elsewhere complete first
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        return m;
    }

    String name() {
        return name;
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    void enqueue(List<Message> messages, Ticket ticket) {
        lock.lock();
        try {
            for (Message m : messages) {
                queue.add(new Entry(m, ticket));
            }
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void enqueueEntries(List<Entry> entries) {
        lock.lock();
        try {
            queue.addAll(entries);
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (running) {
                for (Member m : delivering) {
                    m.pipelined.awaitCaughtUp(); // while it is busy, what arrives gathers into one batch
                }
                List<Entry> batch = take();
                if (attention) {
                    attention = false;
                    List<Entry> again = takeStock();
                    if (!again.isEmpty()) {
                        again.addAll(batch);
                        requeue(again);
                        TimeUnit.MILLISECONDS.sleep(redeliveryBackoffMillis); // backoff before redelivery, not synchronisation
                        redeliveryBackoffMillis = Math.min(redeliveryBackoffMillis * 2, maxBackoff.toMillis());
                        continue;
                    }
                    redeliveryBackoffMillis = 1;
                }
                List<Member> now = List.copyOf(members);
                if (now.isEmpty() || batch.isEmpty()) {
                    requeue(batch);
                    continue;
                }
                for (List<Entry> part : split(batch, now)) {
                    deliver(now.get(memberOf(part.getFirst().message(), now.size())), part);
                }
            }
        } catch (InterruptedException e) {
            if (running) {
                log.error("delivery to group {} of {} stopped: its thread was interrupted while the transport is open", name, destination);
            }
        }
    }

    private List<Entry> take() throws InterruptedException {
        lock.lock();
        try {
            while ((queue.isEmpty() || members.isEmpty()) && !attention) {
                ready.await();
            }
            List<Entry> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private static int memberOf(Message m, int members) {
        return Math.floorMod(m.partitionKey().hashCode(), members);
    }

    private static List<List<Entry>> split(List<Entry> batch, List<Member> members) {
        if (members.size() == 1) {
            return List.of(batch);
        }
        List<List<Entry>> parts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            parts.add(new ArrayList<>());
        }
        for (Entry e : batch) {
            parts.get(memberOf(e.message(), members.size())).add(e);
        }
        parts.removeIf(List::isEmpty);
        return parts;
    }

    private void deliver(Member member, List<Entry> part) throws InterruptedException {
        List<Message> messages = new ArrayList<>(part.size());
        for (Entry e : part) {
            messages.add(e.message());
        }
        if (member.pipelined != null) {
            deliverPipelined(member, part, messages);
            return;
        }
        long backoffMillis = 1;
        while (running) {
            member.busy.lock();
            try {
                if (member.closed) {
                    requeue(part);
                    return;
                }
                member.listener.onMessages(messages);
                part.forEach(e -> e.ticket().acknowledge());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Exception | Error e) { // a failing listener never kills the delivery thread
                log.warn("consumer of {} in group {} failed on a batch of {}; delivering it again in {} ms", destination, name, messages.size(), backoffMillis, e);
            } finally {
                member.busy.unlock();
            }
            TimeUnit.MILLISECONDS.sleep(backoffMillis); // backoff before redelivery, not synchronisation
            backoffMillis = Math.min(backoffMillis * 2, maxBackoff.toMillis());
        }
        requeue(part);
    }

    /** Hands {@code part} to a pipelined member once it has room; its future acknowledges it or calls for attention. */
    private void deliverPipelined(Member member, List<Entry> part, List<Message> messages) throws InterruptedException {
        member.window.acquire();
        if (member.closed) {
            member.window.release();
            requeue(part);
            return;
        }
        member.inFlight.removeIf(f -> f.done().isDone() && !f.done().isCompletedExceptionally());
        if (!delivering.contains(member)) {
            delivering.add(member);
        }
        CompletableFuture<Void> done;
        try {
            done = member.pipelined.submit(messages);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        member.inFlight.add(new InFlight(part, done));
        done.whenComplete((ok, error) -> {
            if (error == null) {
                part.forEach(e -> e.ticket().acknowledge());
            } else {
                log.warn("consumer of {} in group {} failed on a batch of {}; delivering it again", destination, name, part.size(), error);
                attend();
            }
            member.window.release();
        });
    }

    /** Wakes the delivery thread to take stock of its pipelined members. */
    private void attend() {
        attention = true;
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no pipelined batch is in flight; returns the entries of the failed ones, in delivery order per
     * member, and lets their listeners accept batches again.
     */
    private List<Entry> takeStock() throws InterruptedException {
        List<Entry> again = new ArrayList<>();
        for (Member m : delivering) {
            m.window.acquire(PIPELINED_BATCHES);
            m.window.release(PIPELINED_BATCHES);
            boolean failed = false;
            for (InFlight f : m.inFlight) {
                if (f.done().isCompletedExceptionally()) {
                    again.addAll(f.part());
                    failed = true;
                }
            }
            m.inFlight.clear();
            if (failed) {
                m.pipelined.resume();
            }
        }
        delivering.clear();
        return again;
    }

    /** Puts undelivered entries back at the head, in their order, for the next member. */
    private void requeue(List<Entry> entries) {
        lock.lock();
        try {
            for (int i = entries.size() - 1; i >= 0; i--) {
                queue.addFirst(entries.get(i));
            }
        } finally {
            lock.unlock();
        }
    }

    void close() {
        running = false;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            ClosedException closed = new ClosedException("in-process transport");
            queue.forEach(e -> e.ticket().fail(closed));
            queue.clear();
        } finally {
            lock.unlock();
        }
    }
}
