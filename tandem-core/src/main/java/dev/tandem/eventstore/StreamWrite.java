package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Events to append to one stream, guarded by an expected version. */
public record StreamWrite(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {

    public StreamWrite {
        InvalidInputException.requireNonNull(stream, "stream");
        InvalidInputException.requireNonNull(expected, "expectedVersion");
        InvalidInputException.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw InvalidInputException.of("events", "an append to " + stream + " must carry at least one event");
        }
        events = List.copyOf(events); // also rejects null elements
        if (events.size() > 1) {
            Set<UUID> ids = new HashSet<>();
            for (NewEvent e : events) {
                if (!ids.add(e.id())) {
                    throw InvalidInputException.of("events", "event id " + e.id() + " appears twice in one append to " + stream);
                }
            }
        }
    }
}
