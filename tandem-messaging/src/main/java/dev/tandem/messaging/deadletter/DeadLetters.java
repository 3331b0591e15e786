package dev.tandem.messaging.deadletter;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead letters of one owner (an inbox consumer or an outbox relay), kept as the event stream
 * {@code tandem-deadletters-<owner>} in the owner's store.
 *
 * <p>Parking, replaying and discarding each append an event ({@code MessageParked},
 * {@code DeadLetterReplayed} / {@code DeadLetterReplayFailed}, {@code DeadLetterDiscarded}), so the
 * stream is the audit log; the list of parked messages is a fold over it. Replay and discard append
 * with an exact expected version, so two operators cannot both act on the same letter.
 */
public final class DeadLetters {

    /** The longest note a discard records. */
    public static final int MAX_NOTE = 2_000;

    private static final int PAGE = 500;
    private static final int MAX_CONFLICT_RETRIES = 20;

    private final EventStore store;
    private final String owner;
    private final StreamId stream;

    public DeadLetters(EventStore store, String owner) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.owner = InvalidInputException.requireText(owner, "owner", 150);
        this.stream = StreamId.of("tandem-deadletters-" + owner);
    }

    public String owner() {
        return owner;
    }

    /** The stream holding this owner's dead-letter events. */
    public StreamId stream() {
        return stream;
    }

    /** The event that parks {@code letter}; owners add it to their own commit (see {@link #park}). */
    public NewEvent parkedEvent(DeadLetter letter) {
        return DeadLetterEvents.parked(owner, InvalidInputException.requireNonNull(letter, "letter"));
    }

    /** Adds parking {@code letter} to {@code commit}, to be written atomically with whatever else it holds. */
    public Commit.Builder park(Commit.Builder commit, DeadLetter letter) {
        return commit.append(stream, ExpectedVersion.any(), List.of(parkedEvent(letter)));
    }

    /** The messages parked now (not yet replayed or discarded), oldest first. */
    public List<DeadLetter> list() {
        return List.copyOf(fold().parked.values());
    }

    /** The parked message {@code messageId}, if it is parked now. */
    public Optional<DeadLetter> find(UUID messageId) {
        return Optional.ofNullable(fold().parked.get(InvalidInputException.requireNonNull(messageId, "messageId")));
    }

    /** Drops parked message {@code messageId} for good, recording {@code note} (why, and who decided). */
    public void discard(UUID messageId, String note) {
        InvalidInputException.requireText(note, "note", MAX_NOTE);
        act(messageId, letter -> Commit.builder(), DeadLetterEvents.discarded(messageId, note));
    }

    /**
     * Handles parked message {@code messageId} again through {@code replayer} and records the replay in
     * the same commit. When the replayer fails, a {@code DeadLetterReplayFailed} event is recorded, the
     * message stays parked and the failure is rethrown.
     */
    public void replay(UUID messageId, Replayer replayer) {
        InvalidInputException.requireNonNull(replayer, "replayer");
        act(messageId, letter -> {
            try {
                return replayer.replay(letter);
            } catch (Exception e) {
                store.commit(Commit.of(stream, ExpectedVersion.any(), List.of(DeadLetterEvents.replayFailed(messageId, DeadLetter.describe(e)))));
                if (e instanceof TandemException te) {
                    throw te;
                }
                throw new NonTransientException("replay of " + messageId + " by " + owner + " failed", e);
            }
        }, DeadLetterEvents.replayed(messageId));
    }

    private interface Action {
        Commit.Builder effects(DeadLetter letter);
    }

    private void act(UUID messageId, Action action, NewEvent record) {
        InvalidInputException.requireNonNull(messageId, "messageId");
        for (int attempt = 1; ; attempt++) {
            Fold state = fold();
            DeadLetter letter = state.parked.get(messageId);
            if (letter == null) {
                throw InvalidInputException.of("messageId", messageId + " is not parked by " + owner + " (" + state.describe(messageId) + ")");
            }
            Commit.Builder commit = action.effects(letter);
            commit.append(stream, ExpectedVersion.exactly(state.version), List.of(record));
            try {
                store.commit(commit.build());
                return;
            } catch (StreamVersionConflict e) {
                if (!e.stream().equals(stream) || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                // Someone parked or acted meanwhile: look again.
            }
        }
    }

    private Fold fold() {
        Fold f = new Fold();
        long from = 1;
        while (true) {
            List<RecordedEvent> page = store.readStream(stream, from, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent e : page) {
                f.apply(e);
            }
            if (page.size() < PAGE) {
                return f;
            }
            from = page.getLast().version() + 1;
        }
    }

    /** The state of the stream: parked letters by id, what happened to the others, and the version seen. */
    private static final class Fold {
        final Map<UUID, DeadLetter> parked = new LinkedHashMap<>();
        final Map<UUID, String> closed = new LinkedHashMap<>();
        long version;

        void apply(RecordedEvent e) {
            version = e.version();
            switch (e.type()) {
                case DeadLetterEvents.PARKED -> {
                    DeadLetterEvents.Parked p = e.payloadAs(DeadLetterEvents.Parked.class);
                    parked.put(p.message().id(), new DeadLetter(p.message().toMessage(), p.reason(), p.attempts(), p.lastError(), e.timestamp()));
                    closed.remove(p.message().id());
                }
                case DeadLetterEvents.REPLAYED -> close(e.payloadAs(DeadLetterEvents.Replayed.class).messageId(), "replayed");
                case DeadLetterEvents.DISCARDED -> close(e.payloadAs(DeadLetterEvents.Discarded.class).messageId(), "discarded");
                default -> { } // replay failures leave the letter parked
            }
        }

        private void close(UUID id, String how) {
            if (parked.remove(id) != null) {
                closed.put(id, how);
            }
        }

        String describe(UUID id) {
            return closed.getOrDefault(id, "never parked");
        }
    }
}
