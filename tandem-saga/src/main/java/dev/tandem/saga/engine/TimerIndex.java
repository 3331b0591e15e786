package dev.tandem.saga.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The next due instant of every live transaction, rebuilt from the streams on start; thread-safe. */
final class TimerIndex {

    private record Entry(Instant dueAt, String transactionId) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = dueAt.compareTo(o.dueAt);
            return c != 0 ? c : transactionId.compareTo(o.transactionId);
        }
    }

    private final TreeSet<Entry> queue = new TreeSet<>();
    private final Map<String, Instant> byId = new HashMap<>();

    /** Sets (or, with an empty {@code dueAt}, clears) the next due instant of {@code transactionId}. */
    synchronized void schedule(String transactionId, Optional<Instant> dueAt) {
        Instant old = byId.remove(transactionId);
        if (old != null) {
            queue.remove(new Entry(old, transactionId));
        }
        dueAt.ifPresent(d -> {
            byId.put(transactionId, d);
            queue.add(new Entry(d, transactionId));
        });
    }

    /** Removes and returns the transactions due at {@code now}. */
    synchronized List<String> takeDue(Instant now) {
        List<String> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.first().dueAt().isAfter(now)) {
            Entry e = queue.pollFirst();
            byId.remove(e.transactionId());
            due.add(e.transactionId());
        }
        return due;
    }

    synchronized Optional<Instant> next() {
        return queue.isEmpty() ? Optional.empty() : Optional.of(queue.first().dueAt());
    }

    synchronized int size() {
        return byId.size();
    }
}
