package dev.tandem.saga.engine;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's alert: told once a transaction's move to {@link Status#STUCK} is durable. A stuck transaction waits
 * for an operator ({@link Coordinator#operatorRetry}, {@link Coordinator#operatorResolve}); this is where to page
 * someone, count it in a metric or open a ticket. {@link Coordinator#find} and the queries show it meanwhile.
 *
 * <p>Called once per move to STUCK made durable by this coordinator (again if an operator's retry ends stuck again),
 * on the thread that learned the decision is durable: keep it short. An exception it throws is logged and dropped;
 * it never undoes or delays the decision.
 */
@FunctionalInterface
public interface StuckListener {

    void stuck(Transaction transaction);

    /** The default: each stuck transaction logged at ERROR with why it stopped and how to go on. */
    static StuckListener logging() {
        Logger log = LoggerFactory.getLogger(StuckListener.class);
        return tx -> log.error("transaction {} ({}) is STUCK while {}: {}; an operator must retry it (operatorRetry) or resolve it"
                + " (operatorResolve)", tx.id(), tx.definition().id(), tx.stuckIn(), tx.reason());
    }
}
