package dev.tandem.messaging.inprocess;

import dev.tandem.core.ClosedException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>A batch is acknowledged (its publishes' tickets counted down) only when the listener returned;
 * when it throws, the same batch is delivered again after a short backoff.
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

    Group(String destination, String name, int maxBatch, Duration maxBackoff, ThreadFactory threads) {
        this.destination = destination;
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxBackoff = maxBackoff;
        this.thread = threads.newThread(this::run);
        thread.start();
    }

    /** A consumer of this group; delivery stops after its batch in progress when {@code close}d. */
    final class Member implements dev.tandem.messaging.Consumption {
        private final MessageBatchListener listener;
        private final ReentrantLock busy = new ReentrantLock();
        private volatile boolean closed;

        Member(MessageBatchListener listener) {
            this.listener = listener;
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
            if (Thread.currentThread() != thread) {
                busy.lock(); // waits for the batch in progress
                busy.unlock();
            }
        }
    }

    Member join(MessageBatchListener listener) {
        Member m = new Member(listener);
        lock.lock();
        try {
            members.add(m);
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
                List<Entry> batch = take();
                List<Member> now = List.copyOf(members);
                if (now.isEmpty()) {
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
            while (queue.isEmpty() || members.isEmpty()) {
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
