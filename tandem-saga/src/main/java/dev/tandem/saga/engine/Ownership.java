package dev.tandem.saga.engine;

import dev.tandem.eventstore.StreamGuard;
import java.util.Optional;

/** Decides which transactions a coordinator instance may drive right now. */
@FunctionalInterface
public interface Ownership {

    boolean owns(String transactionId);

    /**
     * The fencing token under which this instance owns {@code transactionId} now: tokens of later owners are
     * higher. An instance refuses to append to a transaction that a higher token has claimed. A single instance
     * ({@link #all()}) has token 0, which never fences anything.
     */
    default long fencingToken(String transactionId) {
        return 0;
    }

    /**
     * A condition on the store that holds while this instance owns {@code transactionId}, committed atomically with
     * a new transaction's first events: a stale owner cannot start a transaction that no claim could fence yet.
     * Empty when ownership needs no such guard (a single instance).
     */
    default Optional<StreamGuard> guard(String transactionId) {
        return Optional.empty();
    }

    /** A single coordinator instance: it owns everything. */
    static Ownership all() {
        return id -> true;
    }
}
