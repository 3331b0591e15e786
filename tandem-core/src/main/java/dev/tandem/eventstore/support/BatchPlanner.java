package dev.tandem.eventstore.support;

import dev.tandem.core.TandemException;
import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamGuard;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.StreamWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides, for a batch of commits, which commit succeeds and which is refused, and what rows to write.
 *
 * <p>Backends call it inside their write transaction (holding whatever lock orders positions), after
 * looking up the current state of the streams, event ids and inbox keys the batch touches. It is pure:
 * the same lookups give the same plan, so every backend shares one set of semantics for expected
 * versions, idempotent re-appends, duplicate ids and duplicate inbox entries. Commits in one batch
 * see each other in order, exactly as if they had been written one after the other.
 */
public final class BatchPlanner {

    /** An inbox key: which consumer handled which message. */
    public record InboxKey(String consumer, UUID messageId) {}

    /**
     * Reads of the current state, inside the backend's write transaction. The planner takes over the maps returned and
     * updates them as it plans: return a mutable map of your own.
     */
    public interface Lookup {

        /** Current versions of these streams (one may be named more than once); streams with no events may be absent. */
        Map<StreamId, Long> streamVersions(List<StreamId> streams) throws Exception;

        /** The stored events among these ids; absent ids are not stored. */
        Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) throws Exception;

        /** The stored inbox records among these keys (one may be named more than once). */
        Map<InboxKey, InboxRecord> inbox(List<InboxKey> keys) throws Exception;

        /** The highest position stored, 0 when empty. */
        long lastPosition() throws Exception;
    }

    /** What one commit of the batch came to. */
    public sealed interface Outcome {
        record Committed(CommitResult result) implements Outcome {}

        record Refused(TandemException reason) implements Outcome {}
    }

    /**
     * The rows to write and each commit's outcome.
     *
     * @param events new events with their versions and positions, in position order
     * @param inbox new inbox records
     * @param checkpoints checkpoint updates in commit order (a later one for the same name wins)
     * @param outcomes one per commit, in the batch's order
     */
    public record Plan(List<RecordedEvent> events, List<InboxRecord> inbox, List<CheckpointUpdate> checkpoints, List<Outcome> outcomes) {}

    private BatchPlanner() {}

    /**
     * Plans {@code batch}.
     *
     * @param lookupAllIds true to check every new event id and inbox key against the store and the rest of the batch.
     *     When false, only ids of writes whose expected version does not match are looked up (the one case where a
     *     stored id changes the outcome without an insert: an idempotent repeat instead of a conflict), and a write
     *     that would append, {@code any} included, is planned as new; new ids and inbox keys are compared with the rest
     *     of the batch only from the first write refused on (a repeat of an earlier commit of the batch would be, for its
     *     expected version: that commit is then planned again). A backend planning so must rely on unique keys on the
     *     event id and on the inbox entry, and plan again with {@code true} when one fires
     */
    public static Plan plan(List<Commit> batch, Lookup lookup, Instant now, boolean lookupAllIds) throws Exception {
        List<StreamId> streams = new ArrayList<>(batch.size() + (batch.size() >> 1));
        List<InboxKey> inboxKeys = null;
        for (Commit c : batch) {
            for (StreamWrite w : c.writes()) {
                streams.add(w.stream());
            }
            for (StreamGuard g : c.guards()) {
                streams.add(g.stream());
            }
            for (InboxEntry e : c.inbox()) {
                if (inboxKeys == null) {
                    inboxKeys = new ArrayList<>(batch.size());
                }
                inboxKeys.add(new InboxKey(e.consumer(), e.messageId()));
            }
        }
        Map<StreamId, Long> versions = streams.isEmpty() ? new HashMap<>() : lookup.streamVersions(streams);
        Set<UUID> ids = null;
        for (Commit c : batch) {
            for (StreamWrite w : c.writes()) {
                if (lookupAllIds || !(w.expected() instanceof ExpectedVersion.Any || w.expected().accepts(versions.getOrDefault(w.stream(), 0L)))) {
                    if (ids == null) {
                        ids = new HashSet<>();
                    }
                    for (NewEvent e : w.events()) {
                        ids.add(e.id());
                    }
                }
            }
        }
        Map<UUID, RecordedEvent> stored = ids == null ? new HashMap<>() : lookup.eventsById(ids);
        Map<InboxKey, InboxRecord> inbox = inboxKeys == null ? new HashMap<>() : lookup.inbox(inboxKeys);
        return new Planning(versions, stored, inbox, lookup.lastPosition(), now, lookupAllIds).run(batch);
    }

    /** The mutable state of planning one batch. */
    private static final class Planning {
        private final Map<StreamId, Long> versions;
        private final Map<UUID, RecordedEvent> known;
        private final Map<InboxKey, InboxRecord> inbox;
        private final Instant now;
        /**
         * Whether {@link #known} and {@link #inbox} hold the batch's accepted events and inbox records: from the start
         * when every id and key is checked, else from the first write refused (until then a repeat within the batch is
         * left to the backend's unique keys).
         */
        private boolean tracking;
        private long position;
        private final List<RecordedEvent> newEvents = new ArrayList<>();
        private final List<InboxRecord> newInbox = new ArrayList<>();
        private final List<CheckpointUpdate> checkpoints = new ArrayList<>();

        Planning(Map<StreamId, Long> versions, Map<UUID, RecordedEvent> known, Map<InboxKey, InboxRecord> inbox, long lastPosition, Instant now,
                boolean checkAll) {
            this.versions = versions;
            this.known = known;
            this.inbox = inbox;
            this.position = lastPosition;
            this.now = now;
            this.tracking = checkAll;
        }

        Plan run(List<Commit> batch) {
            List<Outcome> outcomes = new ArrayList<>(batch.size());
            for (Commit c : batch) {
                outcomes.add(planOne(c));
            }
            return new Plan(newEvents, newInbox, checkpoints, outcomes);
        }

        private Outcome planOne(Commit commit) {
            for (StreamGuard g : commit.guards()) {
                long current = versions.getOrDefault(g.stream(), 0L);
                if (!g.expected().accepts(current)) {
                    return new Outcome.Refused(StreamVersionConflict.expected(g.stream(), g.expected(), current));
                }
            }
            if (!inbox.isEmpty()) {
                for (InboxEntry e : commit.inbox()) {
                    InboxRecord previous = inbox.get(new InboxKey(e.consumer(), e.messageId()));
                    if (previous != null) {
                        return new Outcome.Refused(new DuplicateMessageException(previous));
                    }
                }
            }
            long nextPosition = position;
            List<StreamWrite> writes = commit.writes();
            long[] staged = new long[writes.size()]; // each write's version after it, 0 for a repeat that appends nothing
            int firstStaged = newEvents.size(); // staged events go straight to newEvents, and are taken back on a refusal
            List<AppendResult> results = new ArrayList<>(writes.size());
            for (int k = 0; k < writes.size(); k++) {
                StreamWrite w = writes.get(k);
                long current = versions.getOrDefault(w.stream(), 0L);
                List<RecordedEvent> existing = null;
                if (!known.isEmpty()) {
                    for (NewEvent e : w.events()) {
                        RecordedEvent r = known.get(e.id());
                        if (r != null) {
                            if (existing == null) {
                                existing = new ArrayList<>(w.events().size());
                            }
                            existing.add(r);
                        }
                    }
                }
                if (existing != null) {
                    TandemException refusal = checkRepeat(w, existing);
                    if (refusal != null) {
                        return refuse(commit, firstStaged, refusal);
                    }
                    RecordedEvent first = existing.getFirst();
                    RecordedEvent last = existing.getLast();
                    results.add(new AppendResult(w.stream(), first.version(), last.version(), first.position(), last.position(), false));
                    continue;
                }
                if (!w.expected().accepts(current)) {
                    return refuse(commit, firstStaged, StreamVersionConflict.expected(w.stream(), w.expected(), current));
                }
                long version = current;
                long firstPosition = nextPosition + 1;
                for (NewEvent e : w.events()) {
                    version++;
                    nextPosition++;
                    newEvents.add(new RecordedEvent(e.id(), w.stream(), version, nextPosition, e.type(), e.payload(),
                            e.contentType(), e.metadata(), e.route(), now));
                }
                staged[k] = version;
                results.add(new AppendResult(w.stream(), current + 1, version, firstPosition, nextPosition, true));
            }
            // The whole commit is accepted: make its effects visible to the rest of the batch.
            position = nextPosition;
            for (int k = 0; k < staged.length; k++) {
                if (staged[k] > 0) {
                    versions.put(writes.get(k).stream(), staged[k]);
                }
            }
            if (tracking) {
                for (int i = firstStaged; i < newEvents.size(); i++) {
                    RecordedEvent r = newEvents.get(i);
                    known.put(r.id(), r);
                }
            }
            for (InboxEntry e : commit.inbox()) {
                InboxRecord r = new InboxRecord(e.consumer(), e.messageId(), e.result(), now);
                if (tracking) {
                    inbox.put(new InboxKey(e.consumer(), e.messageId()), r);
                }
                newInbox.add(r);
            }
            checkpoints.addAll(commit.checkpoints());
            return new Outcome.Committed(new CommitResult(results));
        }

        /**
         * Takes back the events a refused commit staged (from index {@code firstStaged} of the batch's new events). While
         * the batch's own ids and inbox keys are not tracked, a write's refusal may come from not knowing them (a repeat
         * of an earlier commit of the batch), or have another reason first: from here on they are tracked, and the
         * commit is planned again.
         */
        private Outcome refuse(Commit commit, int firstStaged, TandemException reason) {
            newEvents.subList(firstStaged, newEvents.size()).clear();
            if (!tracking) {
                tracking = true;
                for (RecordedEvent r : newEvents) {
                    known.put(r.id(), r);
                }
                for (InboxRecord r : newInbox) {
                    inbox.put(new InboxKey(r.consumer(), r.messageId()), r);
                }
                return planOne(commit);
            }
            return new Outcome.Refused(reason);
        }

        /** A write some of whose ids are stored: fine only if all are, in order, at this place, with the same content. */
        private static TandemException checkRepeat(StreamWrite w, List<RecordedEvent> existing) {
            List<NewEvent> events = w.events();
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                RecordedEvent r = existing.stream().filter(x -> x.id().equals(e.id())).findFirst().orElse(null);
                if (r == null) {
                    RecordedEvent other = existing.getFirst();
                    return DuplicateEventException.elsewhere(other.id(), other.stream(), other.version(), w.stream());
                }
                if (!r.stream().equals(w.stream()) || r.version() != existing.getFirst().version() + i) {
                    return DuplicateEventException.elsewhere(r.id(), r.stream(), r.version(), w.stream());
                }
                if (!r.sameContentAs(e)) {
                    return DuplicateEventException.differentContent(r.id(), r.stream(), r.version());
                }
            }
            long before = existing.getFirst().version() - 1;
            if (!(w.expected() instanceof ExpectedVersion.Any) && !w.expected().accepts(before)) {
                return StreamVersionConflict.expected(w.stream(), w.expected(), before);
            }
            return null;
        }
    }
}
