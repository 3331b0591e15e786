package dev.tandem.simulator;

import dev.tandem.eventstore.EventStore;
import dev.tandem.saga.engine.TransactionView;
import java.util.List;
import java.util.Map;

/**
 * The quiet end state of one run, for invariant checks: every started transaction as the engine reads it back
 * from the coordinator's store, and each node's store.
 *
 * @param transactions by id, read by a fresh coordinator from the coordinator's store (not from any in-memory cache)
 * @param stores by node name: {@code coordinator} and every participant
 */
public record SimulationOutcome(long seed, List<PlannedTransaction> planned, Map<String, TransactionView> transactions,
        Map<String, EventStore> stores) {

    /** The started transaction {@code id}; a violation if it never started. */
    public TransactionView transaction(String id) {
        TransactionView t = transactions.get(id);
        if (t == null) {
            throw InvariantViolation.of("transaction " + id + " was planned but never started");
        }
        return t;
    }

    public EventStore store(String node) {
        EventStore s = stores.get(node);
        if (s == null) {
            throw InvariantViolation.of("no node named " + node + " (known: " + stores.keySet() + ")");
        }
        return s;
    }
}
