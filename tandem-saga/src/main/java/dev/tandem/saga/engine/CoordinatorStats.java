package dev.tandem.saga.engine;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one coordinator instance has durably decided since it started: counted once each decision is durable, from
 * the events it wrote (a decision another instance made is counted there). Cheap to keep ({@link LongAdder}s); read by
 * {@link CoordinatorMetrics}.
 */
public final class CoordinatorStats {

    private final LongAdder started = new LongAdder();
    private final LongAdder stuck = new LongAdder();
    private final LongAdder operatorRetries = new LongAdder();
    private final LongAdder operatorResolutions = new LongAdder();
    private final LongAdder committed = new LongAdder();
    private final LongAdder compensated = new LongAdder();
    private final LongAdder finishedNanos = new LongAdder();

    CoordinatorStats() {}

    /** Counts what {@code milestone}, durable now, did to {@code tx}. */
    void record(TransactionEventCodec.Milestone milestone, Transaction tx) {
        switch (milestone) {
            case STARTED -> started.increment();
            case FINISHED -> finished(tx);
            case STUCK -> stuck.increment();
            case OPERATOR_RETRIED -> operatorRetries.increment();
            case OPERATOR_RESOLVED -> {
                operatorResolutions.increment();
                finished(tx);
            }
            case NONE -> { }
        }
    }

    /** {@code tx} became final (COMMITTED or COMPENSATED, by the engine or by an operator). */
    private void finished(Transaction tx) {
        if (tx.status() == Status.COMMITTED) {
            committed.increment();
        } else if (tx.status() == Status.COMPENSATED) {
            compensated.increment();
        } else {
            return;
        }
        finishedNanos.add(Math.max(0, Duration.between(tx.startedAt(), tx.updatedAt()).toNanos()));
    }

    /** Transactions started. */
    public long started() {
        return started.sum();
    }

    /** Transactions that ended COMMITTED. */
    public long committed() {
        return committed.sum();
    }

    /** Transactions that ended COMPENSATED. */
    public long compensated() {
        return compensated.sum();
    }

    /** Moves to STUCK (a transaction retried by an operator and stuck again counts again). */
    public long stuck() {
        return stuck.sum();
    }

    /** Operator retries recorded. */
    public long operatorRetries() {
        return operatorRetries.sum();
    }

    /** Operator resolutions recorded (each also counts as committed or compensated). */
    public long operatorResolutions() {
        return operatorResolutions.sum();
    }

    /** Committed plus compensated. */
    public long finished() {
        return committed() + compensated();
    }

    /** The summed time from start to end of the finished transactions, by their recorded times (the injected clock). */
    public Duration finishedTime() {
        return Duration.ofNanos(finishedNanos.sum());
    }
}
