package dev.tandem.eventstore.aggregate;

import dev.tandem.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decider made of a command: the events to record, or a refusal that records nothing.
 *
 * @param <E> the aggregate's event type
 */
public sealed interface Decision<E> {

    /** The command is accepted; {@code events} (at least one) are to be appended. */
    record Accepted<E>(List<E> events) implements Decision<E> {
        public Accepted {
            events = List.copyOf(InvalidInputException.requireNonNull(events, "events"));
            if (events.isEmpty()) {
                throw InvalidInputException.of("events", "an accepted command records at least one event");
            }
        }
    }

    /** The command is refused for a business reason; nothing is recorded. */
    record Refused<E>(String reason) implements Decision<E> {
        public Refused {
            InvalidInputException.requireText(reason, "reason", 2_000);
        }
    }

    /** Accepts the command with one event. */
    static <E> Decision<E> accept(E event) {
        return new Accepted<>(List.of(event));
    }

    /** Accepts the command with these events, in order. */
    @SafeVarargs
    static <E> Decision<E> accept(E... events) {
        List<E> list = new ArrayList<>(events.length);
        for (E e : events) {
            list.add(e);
        }
        return new Accepted<>(list);
    }

    /** Refuses the command, saying why. */
    static <E> Decision<E> refuse(String reason) {
        return new Refused<>(reason);
    }
}
