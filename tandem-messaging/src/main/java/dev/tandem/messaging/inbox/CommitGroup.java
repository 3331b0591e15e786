package dev.tandem.messaging.inbox;

import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamGuard;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handling commits of consecutive messages of one key, merged into one commit that has the effect of committing
 * them one after the other: a stream that several write gets their events in their order. Only commits whose meaning
 * does not change by merging are taken ({@link #add} refuses the others): a stream written by more than one of them
 * must be written with {@link ExpectedVersion#any()} by each (an exact expectation names a version the merged write
 * would not be at); a guarded stream must be neither written nor guarded by another; a checkpoint is updated by one at
 * most. Refused commits are handled alone.
 */
final class CommitGroup {

    private record Write(ExpectedVersion expected, List<NewEvent> events) {}

    private final int maxEvents;
    private final Map<StreamId, Write> writes = new LinkedHashMap<>();
    private final List<InboxEntry> inbox = new ArrayList<>();
    private final List<CheckpointUpdate> checkpoints = new ArrayList<>();
    private final Set<String> checkpointNames = new HashSet<>();
    private final List<StreamGuard> guards = new ArrayList<>();
    private final Set<StreamId> guarded = new HashSet<>();
    private int events;
    private int commits;

    /** @param maxEvents the most events the merged commit may hold */
    CommitGroup(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** Adds {@code commit} after the ones added so far if that keeps its meaning; false (and nothing added) if not. */
    boolean add(Commit commit) {
        if (events + commit.eventCount() > maxEvents) {
            return false;
        }
        for (StreamWrite w : commit.writes()) {
            Write earlier = writes.get(w.stream());
            if (guarded.contains(w.stream())
                    || (earlier != null && !(earlier.expected() instanceof ExpectedVersion.Any && w.expected() instanceof ExpectedVersion.Any))) {
                return false;
            }
        }
        for (StreamGuard g : commit.guards()) {
            if (guarded.contains(g.stream()) || writes.containsKey(g.stream())) {
                return false;
            }
        }
        for (CheckpointUpdate c : commit.checkpoints()) {
            if (checkpointNames.contains(c.name())) {
                return false;
            }
        }
        for (StreamWrite w : commit.writes()) {
            writes.computeIfAbsent(w.stream(), s -> new Write(w.expected(), new ArrayList<>())).events().addAll(w.events());
        }
        for (StreamGuard g : commit.guards()) {
            guards.add(g);
            guarded.add(g.stream());
        }
        for (CheckpointUpdate c : commit.checkpoints()) {
            checkpoints.add(c);
            checkpointNames.add(c.name());
        }
        inbox.addAll(commit.inbox());
        events += commit.eventCount();
        commits++;
        return true;
    }

    /** How many commits it holds. */
    int size() {
        return commits;
    }

    /** The merged commit; at least one must have been added. */
    Commit build() {
        List<StreamWrite> merged = new ArrayList<>(writes.size());
        writes.forEach((stream, w) -> merged.add(new StreamWrite(stream, w.expected(), w.events())));
        return new Commit(merged, inbox, checkpoints, guards);
    }
}
