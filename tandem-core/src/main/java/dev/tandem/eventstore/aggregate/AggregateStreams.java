package dev.tandem.eventstore.aggregate;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one kind of event-sourced aggregate is kept in a service's event store: one stream per aggregate
 * ({@code <category>-<id>}), each event stored as JSON under its record's simple name.
 *
 * <p>{@link #load} folds a stream into the aggregate's state; {@link #write} turns a decider's events into an append
 * that expects exactly the version that was read, so a change made in between makes the commit fail instead of being
 * lost (an inbox then runs the handler again on the new state): in a participant's handler, return it as the step's
 * writes, and it commits atomically with the barrier's record and the reply. {@link #execute} decides and commits a
 * command outside any transaction, deciding again on a conflict.
 *
 * <pre>{@code
 * static final AggregateStreams<Stock, Stock.Event> STOCK = AggregateStreams.of("stock", Stock.Event.class, Stock.NONE, Stock::evolve);
 *
 * AggregateStreams.Loaded<Stock> stock = STOCK.load(store, sku);
 * return switch (StockDecider.decide(stock.state(), command)) {
 *     case Decision.Refused<Stock.Event> refused -> BranchResult.failed(refused.reason());
 *     case Decision.Accepted<Stock.Event> accepted -> BranchResult.succeeded(STOCK.write(sku, stock, accepted.events(), ctx.metadata()));
 * };
 * }</pre>
 *
 * @param <S> the aggregate's state
 * @param <E> the aggregate's event type: a sealed interface whose permitted subclasses are records with distinct simple names
 */
public final class AggregateStreams<S, E> {

    /** Conflicts a direct command ({@link #execute}) rides out before it gives up. */
    public static final int MAX_CONFLICT_RETRIES = 10;
    private static final int PAGE = 500;

    /** An aggregate's state and the stream version it was read at (0: no events yet). */
    public record Loaded<S>(S state, long version) {}

    private final String category;
    private final Class<E> eventType;
    private final Map<String, Class<? extends E>> typesByName;
    private final S initial;
    private final BiFunction<S, E, S> evolve;

    private AggregateStreams(String category, Class<E> eventType, Map<String, Class<? extends E>> typesByName, S initial, BiFunction<S, E, S> evolve) {
        this.category = category;
        this.eventType = eventType;
        this.typesByName = Map.copyOf(typesByName);
        this.initial = initial;
        this.evolve = evolve;
    }

    /**
     * The aggregates of {@code category} whose events are the records permitted by the sealed interface {@code eventType},
     * starting from {@code initial} and folded with {@code evolve}.
     *
     * @throws InvalidInputException when {@code eventType} is not a sealed interface of records with distinct simple names
     */
    public static <S, E> AggregateStreams<S, E> of(String category, Class<E> eventType, S initial, BiFunction<S, E, S> evolve) {
        InvalidInputException.requireText(category, "category", 100);
        StreamId.of(category, "x"); // the category must make valid stream ids
        InvalidInputException.requireNonNull(eventType, "eventType");
        InvalidInputException.requireNonNull(initial, "initial");
        InvalidInputException.requireNonNull(evolve, "evolve");
        if (!eventType.isInterface() || !eventType.isSealed()) {
            throw InvalidInputException.of("eventType", eventType.getName() + " must be a sealed interface whose permitted subclasses are the event records");
        }
        Map<String, Class<? extends E>> types = new HashMap<>();
        for (Class<?> type : eventType.getPermittedSubclasses()) {
            if (!type.isRecord()) {
                throw InvalidInputException.of("eventType", type.getName() + ", permitted by " + eventType.getName() + ", must be a record");
            }
            Class<? extends E> previous = types.put(type.getSimpleName(), type.asSubclass(eventType));
            if (previous != null) {
                throw InvalidInputException.of("eventType", previous.getName() + " and " + type.getName() + " share the name " + type.getSimpleName()
                        + ", which is the stored event type");
            }
        }
        return new AggregateStreams<>(category, eventType, types, initial, evolve);
    }

    public String category() {
        return category;
    }

    /** The stream of aggregate {@code id}. */
    public StreamId stream(String id) {
        InvalidInputException.requireText(id, "id", 200);
        return StreamId.of(category, id);
    }

    /** The aggregate {@code id} as stored now ({@code initial} at version 0 when it has no events). */
    public Loaded<S> load(EventStore store, String id) {
        InvalidInputException.requireNonNull(store, "store");
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
    public List<E> history(EventStore store, String id) {
        InvalidInputException.requireNonNull(store, "store");
        StreamId stream = stream(id);
        List<E> events = new ArrayList<>();
        while (true) {
            List<RecordedEvent> page = store.readStream(stream, events.size() + 1L, ReadDirection.FORWARD, PAGE);
            page.forEach(e -> events.add(decode(e)));
            if (page.size() < PAGE) {
                return events;
            }
        }
    }

    /**
     * The append of {@code events} after {@code loaded}, each with {@code metadata}: in a participant's handler the
     * branch's ({@code BranchContext.metadata()}), which names the transaction, its caller's correlation id and trace
     * context, and the command that caused the events. It expects exactly {@code loaded}'s version.
     */
    public StreamWrite write(String id, Loaded<S> loaded, List<E> events, Metadata metadata) {
        InvalidInputException.requireNonNull(loaded, "loaded");
        InvalidInputException.requireNonNull(events, "events");
        InvalidInputException.requireNonNull(metadata, "metadata");
        if (events.isEmpty()) {
            throw InvalidInputException.of("events", "a write of " + stream(id) + " needs at least one event");
        }
        List<NewEvent> encoded = new ArrayList<>(events.size());
        for (E e : events) {
            InvalidInputException.requireNonNull(e, "event");
            encoded.add(NewEvent.json(e.getClass().getSimpleName(), e).withMetadata(metadata));
        }
        return new StreamWrite(stream(id), ExpectedVersion.exactly(loaded.version()), encoded);
    }

    /**
     * Decides a command outside any transaction on the aggregate as stored and commits its events; decides again when
     * something else (a transaction's step) wrote the aggregate in between, up to {@value #MAX_CONFLICT_RETRIES} times.
     *
     * @return the state after the command
     * @throws CommandRefusedException when the decider refuses the command (nothing is written)
     * @throws StreamVersionConflict when the aggregate kept changing under the command
     */
    public S execute(EventStore store, String id, Function<S, Decision<E>> decide) {
        InvalidInputException.requireNonNull(store, "store");
        InvalidInputException.requireNonNull(decide, "decide");
        for (int attempt = 0; ; attempt++) {
            Loaded<S> loaded = load(store, id);
            Decision<E> decision = decide.apply(loaded.state());
            switch (decision) {
                case null -> throw InvalidInputException.of("decide", "the decider returned null for " + stream(id));
                case Decision.Refused<E> refused -> throw new CommandRefusedException(stream(id), refused.reason());
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

    /** The event {@code event} stores. */
    public E decode(RecordedEvent event) {
        Class<? extends E> type = typesByName.get(event.type());
        if (type == null) {
            throw new NonTransientException("stream " + event.stream() + " holds an event of type " + event.type() + " at version " + event.version()
                    + ", which " + eventType.getName() + " does not permit");
        }
        return event.payloadAs(type);
    }
}
