package dev.tandem.example.quickstart;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.StreamWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one kind of aggregate is kept in a service's event store: one stream per aggregate ({@code <category>-<id>}),
 * each event stored as JSON under its record's simple name.
 *
 * <p>{@link #load} folds a stream into the aggregate's state; {@link #write} appends decided events expecting
 * exactly the version that was read, so a change made in between makes the commit fail instead of being lost
 * (the inbox then runs the handler again on the new state).
 *
 * @param <S> the aggregate's state
 * @param <E> the aggregate's event type: a sealed interface whose permitted subclasses are records
 */
final class AggregateStreams<S, E> {

    /** Conflicts a direct command ({@link #execute}) rides out before it gives up. */
    private static final int MAX_CONFLICT_RETRIES = 10;
    private static final int PAGE = 500;

    /** An aggregate's state and the stream version it was read at (0: no events yet). */
    record Loaded<S>(S state, long version) {}

    private final String category;
    private final Class<E> eventType;
    private final S initial;
    private final BiFunction<S, E, S> evolve;

    AggregateStreams(String category, Class<E> eventType, S initial, BiFunction<S, E, S> evolve) {
        this.category = category;
        this.eventType = eventType;
        this.initial = initial;
        this.evolve = evolve;
    }

    StreamId stream(String id) {
        return StreamId.of(category, id);
    }

    /** The aggregate {@code id} as stored now. */
    Loaded<S> load(EventStore store, String id) {
        StreamId stream = stream(id);
        S state = initial;
        long version = 0;
        while (true) {
            List<RecordedEvent> page = store.readStream(stream, version + 1, ReadDirection.FORWARD, PAGE);
            for (RecordedEvent e : page) {
                state = evolve.apply(state, decode(e));
                version = e.version();
            }
            if (page.size() < PAGE) {
                return new Loaded<>(state, version);
            }
        }
    }

    /** Every event of aggregate {@code id}, oldest first. */
    List<E> history(EventStore store, String id) {
        List<E> events = new ArrayList<>();
        while (true) {
            List<RecordedEvent> page = store.readStream(stream(id), events.size() + 1L, ReadDirection.FORWARD, PAGE);
            page.forEach(e -> events.add(decode(e)));
            if (page.size() < PAGE) {
                return events;
            }
        }
    }

    /**
     * The append of {@code events} after {@code loaded}, each with {@code metadata}: in a participant's handler the
     * {@link dev.tandem.saga.participant.BranchContext#metadata() branch's}, which names the transaction, its caller's
     * correlation id and trace context, and the command that caused the events.
     */
    StreamWrite write(String id, Loaded<S> loaded, List<E> events, Metadata metadata) {
        List<NewEvent> encoded = new ArrayList<>(events.size());
        for (E e : events) {
            encoded.add(NewEvent.json(e.getClass().getSimpleName(), e).withMetadata(metadata));
        }
        return new StreamWrite(stream(id), ExpectedVersion.exactly(loaded.version()), encoded);
    }

    /**
     * Decides a command outside any transaction on the aggregate as stored and commits its events; decides again
     * when a transaction's step wrote the aggregate in between.
     *
     * @return the state after the command
     * @throws InvalidInputException when the decider refuses the command (nothing is written)
     */
    S execute(EventStore store, String id, Function<S, Decision<E>> decide) {
        for (int attempt = 0; ; attempt++) {
            Loaded<S> loaded = load(store, id);
            switch (decide.apply(loaded.state())) {
                case Decision.Refused<E> refused -> throw InvalidInputException.of(category, refused.reason());
                case Decision.Accepted<E> accepted -> {
                    StreamWrite write = write(id, loaded, accepted.events(), Metadata.EMPTY);
                    try {
                        store.append(write.stream(), write.expected(), write.events());
                    } catch (StreamVersionConflict e) {
                        if (attempt >= MAX_CONFLICT_RETRIES) {
                            throw e;
                        }
                        continue;
                    }
                    S after = loaded.state();
                    for (E event : accepted.events()) {
                        after = evolve.apply(after, event);
                    }
                    return after;
                }
            }
        }
    }

    private E decode(RecordedEvent event) {
        for (Class<?> type : eventType.getPermittedSubclasses()) {
            if (type.getSimpleName().equals(event.type())) {
                return eventType.cast(event.payloadAs(type));
            }
        }
        throw new NonTransientException("stream " + event.stream() + " holds an event of unknown type " + event.type() + " at version "
                + event.version());
    }
}
