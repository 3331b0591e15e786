package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.RecordedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the writer committed last, so that a read of the log's tail (a subscription, the outbox relay) takes them
 * from memory instead of querying and decoding rows it was handed a moment ago.
 *
 * <p>It holds one run of consecutive positions {@code first..last}, all of them committed, and no position of that run
 * is missing: the writer adds a batch only after its COMMIT, and only extends the run when the batch starts right after
 * it ({@code before}, the highest position stored when the batch began, equals {@code last}). Events another writer on
 * the same file appended in between break the run, which then starts again with the batch. A read whose first position
 * is not in the run answers null and goes to the database.
 */
final class RecentEvents {

    private final RecordedEvent[] ring;
    private final int mask;
    private long first = 1;
    private long last;

    /** @param capacity how many events it keeps; a power of two */
    RecentEvents(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        this.ring = new RecordedEvent[capacity];
        this.mask = capacity - 1;
    }

    /**
     * A batch of events committed at consecutive positions, the first right after {@code before}.
     *
     * @param before the highest position stored when the batch's transaction began
     */
    synchronized void committed(long before, List<RecordedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long start = events.getFirst().position();
        if (start != before + 1 || before != last) {
            first = start; // a gap (another writer's events, or nothing held yet): the run starts again here
        }
        long expected = start;
        for (RecordedEvent e : events) {
            if (e.position() != expected) { // not consecutive after all: keep only what is certain
                first = e.position();
            }
            ring[(int) (e.position() & mask)] = e;
            expected = e.position() + 1;
        }
        last = expected - 1;
        first = Math.max(first, last - ring.length + 1);
    }

    /**
     * Up to {@code limit} events after {@code after}, in order, when the run holds position {@code after + 1}; null
     * when it does not (older than what it keeps, or not committed by this writer). A mutable list. It may answer
     * fewer than {@code limit} events while more are stored (another writer's, after {@code last}): the store then
     * reads on from the database.
     */
    synchronized List<RecordedEvent> after(long after, int limit) {
        if (after + 1 < first || after + 1 > last) { // empty: first 1, last 0
            return null;
        }
        long to = Math.min(last, after + limit);
        List<RecordedEvent> events = new ArrayList<>((int) (to - after));
        for (long p = after + 1; p <= to; p++) {
            events.add(ring[(int) (p & mask)]);
        }
        return events;
    }

    /**
     * As {@link #after}, but also an empty list when {@code after} is the last position this writer committed: nothing
     * of its own follows (another writer's events might, which this does not know of).
     */
    synchronized List<RecordedEvent> ownAfter(long after, int limit) {
        if (after == last && last >= first) {
            return new ArrayList<>();
        }
        return after(after, limit);
    }
}
