package dev.tandem.saga.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The next due instant of every live transaction, rebuilt from the streams on start; thread-safe.
 *
 * <p>Each setting names the stream version it was derived from, and a setting from an older version than the one
 * already known is ignored: decisions become durable on different threads (the inbox's, the store writer's) and
 * their notifications may arrive out of order, and an older state must not move a newer state's timer later or
 * clear it. A fired entry keeps its version until the firing's own decision sets the next one.
 */
final class TimerIndex {

    private record Entry(Instant dueAt, String transactionId) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = dueAt.compareTo(o.dueAt);
            return c != 0 ? c : transactionId.compareTo(o.transactionId);
        }
    }

    /** What is known of one transaction: the version it was derived from and its due instant (null once taken). */
    private record Slot(long version, Instant dueAt) {}

    private final TreeSet<Entry> queue = new TreeSet<>();
    private final Map<String, Slot> byId = new HashMap<>();

    /**
     * Sets (or, with an empty {@code dueAt}, clears) the next due instant of {@code transactionId} as of stream
     * version {@code version}; ignored when a later version is already known.
     */
    synchronized void schedule(String transactionId, long version, Optional<Instant> dueAt) {
        Slot old = byId.get(transactionId);
        if (old != null && old.version() > version) {
            return;
        }
        unqueue(transactionId, old);
        if (dueAt.isPresent()) {
            byId.put(transactionId, new Slot(version, dueAt.get()));
            queue.add(new Entry(dueAt.get(), transactionId));
        } else {
            byId.remove(transactionId);
        }
    }

    /** Tries {@code transactionId} again at {@code dueAt} (after a failed firing), keeping the version known for it. */
    synchronized void retryAt(String transactionId, Instant dueAt) {
        Slot old = byId.get(transactionId);
        if (old != null && old.dueAt() != null && !old.dueAt().isAfter(dueAt)) {
            return; // already due no later
        }
        unqueue(transactionId, old);
        byId.put(transactionId, new Slot(old == null ? 0 : old.version(), dueAt));
        queue.add(new Entry(dueAt, transactionId));
    }

    /** Removes and returns the transactions due at {@code now}. */
    synchronized List<String> takeDue(Instant now) {
        List<String> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.first().dueAt().isAfter(now)) {
            Entry e = queue.pollFirst();
            byId.computeIfPresent(e.transactionId(), (id, slot) -> new Slot(slot.version(), null));
            due.add(e.transactionId());
        }
        return due;
    }

    synchronized Optional<Instant> next() {
        return queue.isEmpty() ? Optional.empty() : Optional.of(queue.first().dueAt());
    }

    /** Forgets every timer (this instance no longer drives the transactions; a later recovery rebuilds them). */
    synchronized void clear() {
        queue.clear();
        byId.clear();
    }

    /** How many transactions have a timer set. */
    synchronized int size() {
        return queue.size();
    }

    private void unqueue(String transactionId, Slot old) {
        if (old != null && old.dueAt() != null) {
            queue.remove(new Entry(old.dueAt(), transactionId));
        }
    }
}
