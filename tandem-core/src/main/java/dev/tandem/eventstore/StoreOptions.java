package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Settings every event store backend honours, validated on construction.
 *
 * @param clock where event and inbox timestamps come from
 * @param maxPayloadBytes the largest event payload accepted (default 1 MiB)
 * @param maxEventsPerCommit the most events one commit may carry
 * @param groupCommitMaxCommits the most commits batched into one database transaction
 * @param groupCommitMaxWait how long the writer lingers for more commits before writing a batch that is not full
 *     (zero: write whatever is queued at once; batches still form while the previous one is being written)
 * @param maxQueuedCommits how many commits may wait for the writer before submitters block (back-pressure)
 */
public record StoreOptions(
        InstantSource clock,
        int maxPayloadBytes,
        int maxEventsPerCommit,
        int groupCommitMaxCommits,
        Duration groupCommitMaxWait,
        int maxQueuedCommits) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    public StoreOptions {
        InvalidInputException.requireNonNull(clock, "clock");
        requirePositive(maxPayloadBytes, "maxPayloadBytes");
        requirePositive(maxEventsPerCommit, "maxEventsPerCommit");
        requirePositive(groupCommitMaxCommits, "groupCommitMaxCommits");
        InvalidInputException.requireNonNull(groupCommitMaxWait, "groupCommitMaxWait");
        if (groupCommitMaxWait.isNegative()) {
            throw InvalidInputException.of("groupCommitMaxWait", "must not be negative, was " + groupCommitMaxWait);
        }
        requirePositive(maxQueuedCommits, "maxQueuedCommits");
    }

    private static void requirePositive(int value, String field) {
        if (value <= 0) {
            throw InvalidInputException.of(field, "must be positive, was " + value);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(InstantSource.system(), DEFAULT_MAX_PAYLOAD_BYTES, 10_000, 1_000, Duration.ZERO, 10_000);
    }

    public StoreOptions withClock(InstantSource newClock) {
        return new StoreOptions(newClock, maxPayloadBytes, maxEventsPerCommit, groupCommitMaxCommits, groupCommitMaxWait, maxQueuedCommits);
    }

    public StoreOptions withMaxPayloadBytes(int bytes) {
        return new StoreOptions(clock, bytes, maxEventsPerCommit, groupCommitMaxCommits, groupCommitMaxWait, maxQueuedCommits);
    }

    public StoreOptions withGroupCommit(int maxCommits, Duration maxWait) {
        return new StoreOptions(clock, maxPayloadBytes, maxEventsPerCommit, maxCommits, maxWait, maxQueuedCommits);
    }

    public StoreOptions withMaxQueuedCommits(int max) {
        return new StoreOptions(clock, maxPayloadBytes, maxEventsPerCommit, groupCommitMaxCommits, groupCommitMaxWait, max);
    }
}
