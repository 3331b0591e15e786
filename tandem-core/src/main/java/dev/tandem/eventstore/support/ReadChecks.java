package dev.tandem.eventstore.support;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.StreamId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Input checks shared by every backend's read methods. */
public final class ReadChecks {

    /** The largest page a single read may ask for. */
    public static final int MAX_LIMIT = 100_000;

    private ReadChecks() {}

    public static void check(StreamId stream, long fromVersion, ReadDirection direction, int limit) {
        InvalidInputException.requireNonNull(stream, "stream");
        InvalidInputException.requireNonNull(direction, "direction");
        if (fromVersion < 0) {
            throw InvalidInputException.negative("fromVersion", fromVersion);
        }
        checkLimit(limit);
    }

    public static void checkAll(long afterPosition, int limit) {
        if (afterPosition < 0) {
            throw InvalidInputException.negative("afterPosition", afterPosition);
        }
        checkLimit(limit);
    }

    /** Checks an inbox look-up and returns its message ids as a list (none of them null). */
    public static List<UUID> checkInbox(String consumer, Collection<UUID> messageIds) {
        InvalidInputException.requireText(consumer, "consumer", 200);
        InvalidInputException.requireNonNull(messageIds, "messageIds");
        List<UUID> ids = new ArrayList<>(messageIds.size());
        for (UUID id : messageIds) {
            ids.add(InvalidInputException.requireNonNull(id, "messageIds[]"));
        }
        return ids;
    }

    private static void checkLimit(int limit) {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }
}
