package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream index of the events that the table ({@code stream_chunks}) does not hold yet, in memory: for each stream,
 * the positions and versions of its events after {@code stream_index_state.indexed_to}. A stream's last chunk in the
 * table gives its version as of {@code indexed_to}; a stream written since has its current version here.
 *
 * <p>The table is filled in bulk, many thousand events at a time (usually from this index: {@link #index}), because a
 * bulk insert touches each index page once for all the events it receives, where indexing every commit wrote about one
 * page per event (each stream's entries sit on a page of their own, and SQLite writes whole pages to the WAL). Until
 * then, this index lets a stream read find the unindexed events by position instead of scanning them, and gives the
 * versions of the streams written since.
 *
 * <p><b>Consistency with a reader's snapshot.</b> The writer (one thread) {@link #add adds} an event's position
 * <em>before</em> the {@code COMMIT} that makes it visible, and {@link #rollback removes} what it added when the
 * transaction fails. A reader takes its snapshot first and reads this index after: so every event its snapshot holds
 * after the snapshot's {@code indexed_to} is here, unless it was pruned. Positions of transactions its snapshot does
 * not hold are here too, and simply not found (a rolled-back position may be reused by another stream, so a read also
 * filters by stream). After a bulk insert commits, the entries it indexed are kept for one more round and dropped
 * after the next one, with {@link #retainedAfter} raised <em>before</em> they are dropped; a reader whose snapshot's
 * {@code indexed_to} is below {@code retainedAfter} (read after this index) falls back to scanning the tail.
 *
 * <p><b>Other writers on the same file</b> (another store, another process) append events this index does not see. The
 * writer adds them at the start of its next transaction ({@link #addCommitted}); until then a reader whose snapshot
 * holds a position above {@link #knownThrough} scans.
 *
 * <p>Nothing here is durable: on open, the writer indexes every event the table does not hold, and this index starts
 * empty.
 */
final class TailIndex {

    /**
     * One stream's entries, (position, version) pairs in one array: appended by the writer only, read concurrently;
     * replaced, never shrunk in place, by a prune.
     */
    private static final class Tail {
        private static final VarHandle SIZE;

        static {
            try {
                SIZE = MethodHandles.lookup().findVarHandle(Tail.class, "size", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile long[] entries = new long[8];
        private volatile int size; // entries, each two longs

        void add(long position, long version) {
            long[] e = entries;
            int n = size;
            if (2 * n == e.length) {
                e = Arrays.copyOf(e, e.length * 2);
                entries = e;
            }
            e[2 * n] = position;
            e[2 * n + 1] = version;
            // Publishes the entry: a reader reads size first (a volatile read, so it sees the entry written before). A
            // release store suffices; a volatile one costs the writer a full fence per event.
            SIZE.setRelease(this, n + 1);
        }

        long[] copy() {
            int n = size;
            return Arrays.copyOf(entries, 2 * n);
        }
    }

    private final Map<String, Tail> tails = new ConcurrentHashMap<>();
    /** Tails that got an entry in the open write transaction, once per entry; writer thread only. */
    private final List<Tail> pending = new ArrayList<>();
    private volatile long retainedAfter;
    /** The highest position added; events above it were written by another writer. */
    private volatile long knownThrough;
    /** {@link #knownThrough} when the open transaction began. Writer thread only. */
    private long knownBefore;
    /** The previous bulk insert's bound: entries at or below it go at the next one. Writer thread only. */
    private long previousRound;

    /** @param indexedTo what the table indexes when the store opens: every event after it will be added */
    TailIndex(long indexedTo) {
        this.retainedAfter = indexedTo;
        this.previousRound = indexedTo;
        this.knownThrough = indexedTo;
        this.knownBefore = indexedTo;
    }

    /** Writer: records the events of the open transaction, in position order, before its {@code COMMIT}. */
    void add(List<RecordedEvent> events) {
        StreamId lastStream = null;
        Tail tail = null;
        for (RecordedEvent e : events) {
            if (e.stream() != lastStream) { // one commit's events of a stream come one after the other, as one instance
                lastStream = e.stream();
                tail = tails.computeIfAbsent(lastStream.value(), s -> new Tail());
            }
            tail.add(e.position(), e.version());
            pending.add(tail);
        }
        if (!events.isEmpty()) {
            knownThrough = events.getLast().position(); // once the batch's entries are there: every position up to it is
        }
    }

    /** Writer, at the start of a transaction: records an event another writer committed. */
    void addCommitted(String stream, long position, long version) {
        tails.computeIfAbsent(stream, s -> new Tail()).add(position, version);
        knownThrough = position;
        knownBefore = position;
    }

    /** Writer: the open transaction committed. */
    void committed() {
        pending.clear();
        knownBefore = knownThrough;
    }

    /**
     * Writer: the open transaction is being rolled back; forgets what it added. Called before the {@code ROLLBACK}, so
     * no other writer can take the positions while this index still claims to know them.
     */
    void rollback() {
        knownThrough = knownBefore;
        for (int i = pending.size() - 1; i >= 0; i--) {
            Tail tail = pending.get(i);
            tail.size = tail.size - 1;
        }
        pending.clear();
    }

    /** The highest position this index accounts for: a snapshot holding a higher one saw another writer's events. */
    long knownThrough() {
        return knownThrough;
    }

    /**
     * Writer, after the commit of a bulk insert into the table that indexed every event up to {@code indexedTo}: drops
     * the entries the round before indexed.
     */
    void indexed(long indexedTo) {
        long drop = previousRound;
        previousRound = indexedTo;
        if (drop <= retainedAfter) {
            return;
        }
        retainedAfter = drop; // first: a reader that misses a dropped entry then sees that it must scan
        Iterator<Map.Entry<String, Tail>> it = tails.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Tail> e = it.next();
            long[] kept = e.getValue().copy();
            int from = 0;
            while (from < kept.length && kept[from] <= drop) {
                from += 2;
            }
            if (from == kept.length) {
                it.remove();
            } else if (from > 0) {
                Tail fresh = new Tail();
                for (int i = from; i < kept.length; i += 2) {
                    fresh.add(kept[i], kept[i + 1]);
                }
                e.setValue(fresh);
            }
        }
    }

    /**
     * Writer, for an index round: adds to {@code chunks} every entry with a position in ({@code after}, {@code upTo}],
     * stream by stream in the order of their ids (so the round's inserts walk the table's key order), and returns true.
     * Returns false, having added nothing, when the round is better written from the table: when this index does not
     * hold exactly {@code upTo - after} such entries (the events of that range were not all seen by this writer), or when
     * most of its streams have a single entry (one row per stream is then one row per event, which SQLite inserts from
     * the table in one sorted statement faster than from here: building and sorting them here took as long again).
     */
    boolean index(long after, long upTo, StreamChunks.Builder chunks) throws SQLException {
        record Run(String stream, long[] entries, int from, int to) {}
        List<Run> runs = new ArrayList<>();
        long count = 0;
        for (Map.Entry<String, Tail> e : tails.entrySet()) {
            long[] entries = e.getValue().entries;
            int to = e.getValue().size; // entries in position order: the run is [from, to)
            while (to > 0 && entries[2 * (to - 1)] > upTo) {
                to--;
            }
            int from = to;
            while (from > 0 && entries[2 * (from - 1)] > after) {
                from--;
            }
            if (from < to) {
                runs.add(new Run(e.getKey(), entries, from, to));
                count += to - from;
            }
        }
        if (count != upTo - after || 2L * runs.size() > count) {
            return false;
        }
        runs.sort(Comparator.comparing(Run::stream));
        for (Run run : runs) {
            for (int i = run.from(); i < run.to(); i++) {
                chunks.add(run.stream(), run.entries()[2 * i + 1], run.entries()[2 * i]);
            }
        }
        return true;
    }

    /** Writer: the version of {@code stream}'s last event held here, pending ones included; 0 when none is held. */
    long latestVersion(String stream) {
        Tail tail = tails.get(stream);
        if (tail == null) {
            return 0;
        }
        int n = tail.size;
        return n == 0 ? 0 : tail.entries[2 * n - 1];
    }

    /** What a reader finds of one stream: its positions, ascending, and the version of its last committed event, 0 for none. */
    record Entries(long[] positions, long version) {}

    /**
     * Reader: {@code stream}'s entries with a position after {@code after} (a snapshot's {@code indexed_to}), and the
     * version of the last one at or below {@code upTo} (the snapshot's highest position); from one copy of its tail.
     * Positions above {@code upTo} belong to transactions the snapshot does not hold: they are left out.
     */
    Entries entries(String stream, long after, long upTo) {
        Tail tail = tails.get(stream);
        if (tail == null) {
            return new Entries(new long[0], 0);
        }
        long[] all = tail.copy();
        int from = 0;
        while (from < all.length && all[from] <= after) {
            from += 2;
        }
        int to = from;
        while (to < all.length && all[to] <= upTo) {
            to += 2;
        }
        long[] positions = new long[(to - from) / 2];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = all[from + 2 * i];
        }
        return new Entries(positions, to > from ? all[to - 1] : 0);
    }

    /** Every event after this position that the table does not index is here; read it after {@link #entries}. */
    long retainedAfter() {
        return retainedAfter;
    }

    /** Entries held, for tests. */
    int size() {
        int n = 0;
        for (Tail t : tails.values()) {
            n += t.size;
        }
        return n;
    }
}
