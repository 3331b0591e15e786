package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A coordinator's figures as Micrometer meters, tagged {@code coordinator}: {@code tandem.transactions.started},
 * {@code tandem.transactions.finished} (tag {@code status}: COMMITTED or COMPENSATED), {@code tandem.transactions.stuck}
 * (alert on its rate, or on a non-zero increase), {@code tandem.transactions.operator} (tag {@code action}: retry or
 * resolve), {@code tandem.transactions.duration} (a timer over the finished ones: count and total time, start to end)
 * and the gauge {@code tandem.transactions.scheduled} (transactions with a due time: the ones this instance drives).
 * The meters read {@link Coordinator#stats()}, so binding costs nothing on the decision path.
 *
 * <pre>{@code
 * new CoordinatorMetrics(coordinator).bindTo(registry);
 * }</pre>
 */
public final class CoordinatorMetrics implements MeterBinder {

    private final Coordinator coordinator;

    public CoordinatorMetrics(Coordinator coordinator) {
        this.coordinator = InvalidInputException.requireNonNull(coordinator, "coordinator");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        InvalidInputException.requireNonNull(registry, "registry");
        CoordinatorStats stats = coordinator.stats();
        String name = coordinator.name();
        counter(registry, "tandem.transactions.started", "transactions started", stats, CoordinatorStats::started, "coordinator", name);
        counter(registry, "tandem.transactions.finished", "transactions that ended committed", stats, CoordinatorStats::committed,
                "coordinator", name, "status", "COMMITTED");
        counter(registry, "tandem.transactions.finished", "transactions that ended compensated", stats, CoordinatorStats::compensated,
                "coordinator", name, "status", "COMPENSATED");
        counter(registry, "tandem.transactions.stuck", "moves to STUCK: an operator must retry or resolve", stats, CoordinatorStats::stuck,
                "coordinator", name);
        counter(registry, "tandem.transactions.operator", "operator retries", stats, CoordinatorStats::operatorRetries,
                "coordinator", name, "action", "retry");
        counter(registry, "tandem.transactions.operator", "operator resolutions", stats, CoordinatorStats::operatorResolutions,
                "coordinator", name, "action", "resolve");
        FunctionTimer.builder("tandem.transactions.duration", stats, CoordinatorStats::finished, s -> s.finishedTime().toNanos(),
                        TimeUnit.NANOSECONDS)
                .description("start to end of finished transactions").tag("coordinator", name).register(registry);
        Gauge.builder("tandem.transactions.scheduled", coordinator, Coordinator::scheduledTransactions)
                .description("transactions with a due time (driven by this instance, not final nor stuck)").tag("coordinator", name)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, CoordinatorStats stats,
            ToDoubleFunction<CoordinatorStats> count, String... tags) {
        FunctionCounter.builder(name, stats, count).description(description).tags(tags).register(registry);
    }
}
