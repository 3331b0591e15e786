package dev.tandem.saga.engine;

/** Decides which transactions a coordinator instance may drive right now. */
@FunctionalInterface
public interface Ownership {

    boolean owns(String transactionId);

    /** A single coordinator instance: it owns everything. */
    static Ownership all() {
        return id -> true;
    }
}
