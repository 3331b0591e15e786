package dev.tandem.eventstore.support;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The states of streams as this process last committed them: a handler that appends to a stream notes what the
 * stream's state will be if the append commits ({@link #expect}); once the commit is durable ({@link #committed}),
 * that state is known, so a process never reads back the events it wrote itself. A decision takes the known state as
 * is ({@link #current}) unless a write of this process to the stream is in doubt; a query reads whatever came after
 * it ({@link #load}). Appends decided on a known state expect its exact version, so a state that is stale, or an
 * expectation whose commit failed, costs a conflict and a read, never correctness.
 *
 * @param <S> the state folded from a stream's events
 */
public final class CommittedStates<S> {

    /** A stream's state and the stream version it was folded to. */
    public record Versioned<S>(S state, long version) {}

    private record Expected<S>(StreamId stream, Versioned<S> after) {}

    /**
     * A write in doubt: its last event, when it was expected ({@link System#nanoTime()}), and whether its commit may
     * still be on its way (false once it is known to have failed: the stream's state must then be read).
     */
    private record Doubt(UUID lastEventId, long sinceNanos, boolean inFlight) {}

    /** How long {@link #currentOrWait} takes a write in doubt to be still in flight, by default. */
    public static final Duration DEFAULT_SETTLE_WAIT = Duration.ofMillis(100);

    private final int max;
    private final long settleWaitNanos;
    private final Map<StreamId, Versioned<S>> committed = new ConcurrentHashMap<>();
    private final Map<UUID, Expected<S>> expected = new ConcurrentHashMap<>();
    /** Streams with a write of this process in doubt (expected, not yet reported committed). */
    private final Map<StreamId, Doubt> inDoubt = new ConcurrentHashMap<>();

    /** @param max how many states (and how many expectations) it keeps before it starts over: a memory bound */
    public CommittedStates(int max) {
        this(max, DEFAULT_SETTLE_WAIT);
    }

    /**
     * @param max how many states (and how many expectations) it keeps before it starts over: a memory bound
     * @param settleWait how long after its expectation {@link #currentOrWait} takes a write in doubt to be still in flight
     *     (a commit normally settles within milliseconds; one that failed is never reported, and after this the stream is
     *     read instead)
     */
    public CommittedStates(int max, Duration settleWait) {
        if (max < 1) {
            throw InvalidInputException.of("max", "must be positive, was " + max);
        }
        InvalidInputException.requireNonNull(settleWait, "settleWait");
        if (settleWait.isNegative()) {
            throw InvalidInputException.of("settleWait", "must not be negative, was " + settleWait);
        }
        this.max = max;
        this.settleWaitNanos = settleWait.toNanos();
    }

    /** The last state known of {@code stream}, or null. */
    public Versioned<S> get(StreamId stream) {
        return committed.get(stream);
    }

    /**
     * The current state of {@code stream} in {@code store}: the last state known, with the events after its version
     * folded on (read {@code page} at a time); from {@code empty} at version 0 when none is known. A state that moved
     * on is kept for the next load.
     */
    public Versioned<S> load(EventStore store, StreamId stream, S empty, int page, BiFunction<S, RecordedEvent, S> fold) {
        Versioned<S> from = committed.get(stream);
        S state = from == null ? empty : from.state();
        long known = from == null ? 0 : from.version();
        long version = known;
        while (true) {
            List<RecordedEvent> events = store.readStream(stream, version + 1, ReadDirection.FORWARD, page);
            for (RecordedEvent e : events) {
                state = fold.apply(state, e);
                version = e.version();
            }
            if (events.size() < page) {
                Versioned<S> loaded = new Versioned<>(state, version);
                if (version != known) {
                    put(stream, loaded);
                }
                return loaded;
            }
        }
    }

    /**
     * The state to decide a write on that expects the exact version returned: the last state known, without a read,
     * unless a write of this process to the stream is in doubt (then as {@link #load}). Known states come only from
     * reads and from commits reported durable, so a known state can be stale only if someone else appended since;
     * then the write conflicts, and being in doubt makes the re-run read. Use {@link #load} to answer queries.
     */
    public Versioned<S> current(EventStore store, StreamId stream, S empty, int page, BiFunction<S, RecordedEvent, S> fold) {
        Versioned<S> known = committed.get(stream);
        if (known != null && !inDoubt.containsKey(stream)) {
            return known;
        }
        return loadAfterDoubt(store, stream, empty, page, fold);
    }

    /**
     * As {@link #current}, for a caller that can come back later (an inbox handler): while a write of this process to the
     * stream is in doubt, younger than the settle wait and not known to have failed ({@link #abandoned}), throws
     * {@link WriteInFlightException} instead of reading. The store would most likely still return the state before that
     * write, so a decision on it would conflict once the write lands; after the write is reported committed, its state
     * is known and no read is needed at all. A hot stream (many commands for one account) is then decided on once per
     * settled write instead of read and refused.
     */
    public Versioned<S> currentOrWait(EventStore store, StreamId stream, S empty, int page, BiFunction<S, RecordedEvent, S> fold) {
        Doubt doubt = inDoubt.get(stream);
        if (doubt != null && doubt.inFlight() && System.nanoTime() - doubt.sinceNanos() < settleWaitNanos) {
            throw new WriteInFlightException(stream);
        }
        return current(store, stream, empty, page, fold);
    }

    /**
     * As {@link #current}, but a stream neither known nor in doubt is taken to be new ({@code empty} at version 0)
     * without a read: for the first write of a stream whose name is new by construction (a branch's barrier). If it
     * exists after all, the write expecting version 0 conflicts and the re-run reads.
     */
    public Versioned<S> currentOrNew(EventStore store, StreamId stream, S empty, int page, BiFunction<S, RecordedEvent, S> fold) {
        Versioned<S> known = committed.get(stream);
        if (!inDoubt.containsKey(stream)) {
            return known != null ? known : new Versioned<>(empty, 0);
        }
        return loadAfterDoubt(store, stream, empty, page, fold);
    }

    private Versioned<S> loadAfterDoubt(EventStore store, StreamId stream, S empty, int page, BiFunction<S, RecordedEvent, S> fold) {
        Doubt doubt = inDoubt.get(stream);
        Versioned<S> loaded = load(store, stream, empty, page, fold);
        if (doubt != null) {
            inDoubt.remove(stream, doubt); // read since: a later expectation of a write in flight keeps its own doubt
        }
        return loaded;
    }

    /**
     * Notes that once the append to {@code stream} whose last event has id {@code lastEventId} commits, the stream
     * is at {@code version} with {@code state}; until then a write to the stream is in doubt.
     */
    public void expect(StreamId stream, UUID lastEventId, S state, long version) {
        if (expected.size() >= max) {
            expected.clear(); // expectations of attempts that never committed: dropping them costs reads only
        }
        if (inDoubt.size() >= max) {
            committed.clear(); // forgetting what is known makes every stream read again: doubts no longer matter
            inDoubt.clear();
        }
        inDoubt.put(stream, new Doubt(lastEventId, System.nanoTime(), true));
        expected.put(lastEventId, new Expected<>(stream, new Versioned<>(state, version)));
    }

    /** A commit is durable: each of its writes that was expected makes its state the stream's known state. */
    public void committed(Commit commit) {
        for (StreamWrite w : commit.writes()) {
            UUID last = w.events().getLast().id();
            Expected<S> e = expected.remove(last);
            if (e != null && e.stream().equals(w.stream())) {
                put(w.stream(), e.after());
                inDoubt.computeIfPresent(w.stream(), (s, d) -> d.lastEventId().equals(last) ? null : d); // a later write keeps its doubt
            }
        }
    }

    /**
     * A commit failed (or was never made): its expectations are dropped, and a stream it left in doubt stays in doubt
     * but no longer in flight, so its next decision reads (even through {@link #currentOrWait}) instead of waiting.
     */
    public void abandoned(Commit commit) {
        for (StreamWrite w : commit.writes()) {
            UUID last = w.events().getLast().id();
            expected.remove(last);
            inDoubt.computeIfPresent(w.stream(), (s, d) -> d.lastEventId().equals(last) ? new Doubt(last, d.sinceNanos(), false) : d);
        }
    }

    private void put(StreamId stream, Versioned<S> state) {
        if (committed.size() >= max) {
            committed.clear();
        }
        committed.merge(stream, state, (old, now) -> now.version() >= old.version() ? now : old);
    }
}
