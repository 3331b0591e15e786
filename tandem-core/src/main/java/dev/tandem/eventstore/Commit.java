package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One atomic write: events on one or more streams, inbox records and checkpoint updates, and
 * guards on streams it does not write (conditions on their versions, checked atomically with the
 * writes). Either all of it is durable or none of it is.
 *
 * <p>This is what makes "outbox + inbox + barrier in one append" possible: a message handler's
 * resulting events (including routed events, which are its outgoing messages), the record of the
 * message it consumed and a subscriber's checkpoint commit together.
 */
public record Commit(List<StreamWrite> writes, List<InboxEntry> inbox, List<CheckpointUpdate> checkpoints, List<StreamGuard> guards) {

    public Commit {
        InvalidInputException.requireNonNull(writes, "writes");
        InvalidInputException.requireNonNull(inbox, "inbox");
        InvalidInputException.requireNonNull(checkpoints, "checkpoints");
        InvalidInputException.requireNonNull(guards, "guards");
        writes = List.copyOf(writes);
        inbox = List.copyOf(inbox);
        checkpoints = List.copyOf(checkpoints);
        guards = List.copyOf(guards);
        if (writes.isEmpty() && inbox.isEmpty() && checkpoints.isEmpty()) {
            throw InvalidInputException.of("commit", "is empty: it has no events, inbox entries or checkpoints");
        }
        checkDistinct(writes, guards);
    }

    /** No stream written twice or both written and guarded, no event id twice; a single write needs no sets here. */
    private static void checkDistinct(List<StreamWrite> writes, List<StreamGuard> guards) {
        if (writes.size() + guards.size() > 1) {
            Set<StreamId> streams = new HashSet<>();
            for (StreamWrite w : writes) {
                if (!streams.add(w.stream())) {
                    throw InvalidInputException.of("writes", "stream " + w.stream() + " appears twice in one commit");
                }
            }
            for (StreamGuard g : guards) {
                if (!streams.add(g.stream())) {
                    throw InvalidInputException.of("guards", "stream " + g.stream() + " is guarded twice, or both guarded and written, in one commit");
                }
            }
        }
        if (writes.size() > 1) { // each write checked its own ids
            Set<java.util.UUID> ids = new HashSet<>();
            for (StreamWrite w : writes) {
                for (NewEvent e : w.events()) {
                    if (!ids.add(e.id())) {
                        throw InvalidInputException.of("writes", "event id " + e.id() + " appears twice in one commit");
                    }
                }
            }
        }
    }

    /** A commit without guards. */
    public Commit(List<StreamWrite> writes, List<InboxEntry> inbox, List<CheckpointUpdate> checkpoints) {
        this(writes, inbox, checkpoints, List.of());
    }

    public static Commit of(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        return new Commit(List.of(new StreamWrite(stream, expected, events)), List.of(), List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of events across all writes. */
    public int eventCount() {
        int n = 0;
        for (StreamWrite w : writes) {
            n += w.events().size();
        }
        return n;
    }

    /** Collects the parts of a commit. */
    public static final class Builder {
        private final List<StreamWrite> writes = new ArrayList<>();
        private final List<InboxEntry> inbox = new ArrayList<>();
        private final List<CheckpointUpdate> checkpoints = new ArrayList<>();
        private final List<StreamGuard> guards = new ArrayList<>();

        public Builder append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            writes.add(new StreamWrite(stream, expected, events));
            return this;
        }

        public Builder append(StreamWrite write) {
            writes.add(write);
            return this;
        }

        public Builder inbox(InboxEntry entry) {
            inbox.add(entry);
            return this;
        }

        public Builder checkpoint(String name, long position) {
            checkpoints.add(new CheckpointUpdate(name, position));
            return this;
        }

        /** Commits only if {@code stream}, which this commit does not write, is at a version {@code expected} accepts. */
        public Builder guard(StreamId stream, ExpectedVersion expected) {
            guards.add(new StreamGuard(stream, expected));
            return this;
        }

        public Builder guard(StreamGuard guard) {
            guards.add(InvalidInputException.requireNonNull(guard, "guard"));
            return this;
        }

        /** Whether it has nothing to write (guards alone are not a commit). */
        public boolean isEmpty() {
            return writes.isEmpty() && inbox.isEmpty() && checkpoints.isEmpty();
        }

        public Commit build() {
            return new Commit(writes, inbox, checkpoints, guards);
        }
    }
}
