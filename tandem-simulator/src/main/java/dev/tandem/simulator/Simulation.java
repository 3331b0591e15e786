package dev.tandem.simulator;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Scenario} deterministically: one seed fixes every choice (message fates, latencies, crashes,
 * clock jumps, tie-breaks between simultaneous events, the scenario's own plan), so a failing seed replays
 * identically.
 *
 * <p>A run has a faulty phase of {@link Builder#faultyFor} virtual time under the {@link FaultPlan}, then heals:
 * the network becomes reliable, crashed nodes restart and no more faults are injected. It then runs until no
 * simulated event is left and checks: every planned transaction is settled (COMMITTED or COMPENSATED; STUCK
 * only when {@link Builder#allowStuck} is set), then the scenario's own invariants. A failure throws
 * {@link InvariantViolation} with the seed and the last simulated events.
 *
 * <pre>{@code
 * Simulation sim = Simulation.builder(new MyScenario()).faults(FaultPlan.standard()).build();
 * for (long seed = 1; seed <= 1000; seed++) {
 *     sim.run(seed); // throws InvariantViolation naming the seed
 * }
 * }</pre>
 */
public final class Simulation {

    private final Scenario scenario;
    private final FaultPlan faults;
    private final Duration faultyFor;
    private final int traceSize;
    private final long maxEvents;
    private final boolean allowStuck;
    private final String replayCommand;

    private Simulation(Builder b) {
        this.scenario = b.scenario;
        this.faults = b.faults;
        this.faultyFor = b.faultyFor;
        this.traceSize = b.traceSize;
        this.maxEvents = b.maxEvents;
        this.allowStuck = b.allowStuck;
        this.replayCommand = b.replayCommand;
    }

    public static Builder builder(Scenario scenario) {
        return new Builder(scenario);
    }

    /** Runs seed {@code seed} to quiescence and checks the invariants; throws {@link InvariantViolation} on a breach. */
    public SimulationResult run(long seed) {
        return new SimulationRun(this, seed).execute();
    }

    /**
     * Runs {@code count} consecutive seeds from {@code firstSeed}, going on after a violation; keeps the first
     * {@code keepViolations} violations in the summary. Measures wall time with {@code System.nanoTime}.
     */
    public CampaignSummary runSeeds(long firstSeed, int count, int keepViolations) {
        if (count < 1) {
            throw InvalidInputException.of("seeds", "must be at least 1, was " + count);
        }
        long started = System.nanoTime();
        long transactions = 0;
        long committed = 0;
        long compensated = 0;
        long stuck = 0;
        long events = 0;
        long crashes = 0;
        int violationCount = 0;
        long digest = 17;
        List<InvariantViolation> kept = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + count; seed++) {
            try {
                SimulationResult r = run(seed);
                transactions += r.transactions();
                committed += r.committed();
                compensated += r.compensated();
                stuck += r.stuck();
                events += r.events();
                crashes += r.crashes();
                digest = digest * 31 + r.digest();
            } catch (InvariantViolation v) {
                violationCount++;
                if (kept.size() < keepViolations) {
                    kept.add(v);
                }
            }
        }
        return new CampaignSummary(firstSeed, count, transactions, committed, compensated, stuck, events, crashes, violationCount,
                kept, digest, Duration.ofNanos(System.nanoTime() - started));
    }

    Scenario scenario() {
        return scenario;
    }

    FaultPlan faults() {
        return faults;
    }

    Duration faultyFor() {
        return faultyFor;
    }

    int traceSize() {
        return traceSize;
    }

    long maxEvents() {
        return maxEvents;
    }

    boolean allowStuck() {
        return allowStuck;
    }

    String replayCommand(long seed) {
        return replayCommand.replace("{seed}", Long.toString(seed));
    }

    /** Configures a {@link Simulation}; validated on {@link #build()}. */
    public static final class Builder {
        private final Scenario scenario;
        private FaultPlan faults = FaultPlan.standard();
        private Duration faultyFor = Duration.ofSeconds(5);
        private int traceSize = 60;
        private long maxEvents = 200_000;
        private boolean allowStuck;
        private String replayCommand = "Simulation.run({seed}) with the same scenario and faults";

        private Builder(Scenario scenario) {
            this.scenario = InvalidInputException.requireNonNull(scenario, "scenario");
        }

        public Builder faults(FaultPlan plan) {
            this.faults = InvalidInputException.requireNonNull(plan, "faults");
            return this;
        }

        /** How long (virtual time) faults are injected before the run heals (default 5 s). */
        public Builder faultyFor(Duration duration) {
            this.faultyFor = InvalidInputException.requireNonNull(duration, "faultyFor");
            return this;
        }

        /** How many of the last simulated events a violation reports (default 60). */
        public Builder traceSize(int entries) {
            this.traceSize = entries;
            return this;
        }

        /** A run that has not quietened after this many simulated events is a violation (default 200,000). */
        public Builder maxEvents(long events) {
            this.maxEvents = events;
            return this;
        }

        /** Whether STUCK is an acceptable end state (only for fault plans where compensations may never succeed). */
        public Builder allowStuck(boolean allowed) {
            this.allowStuck = allowed;
            return this;
        }

        /** How a violation tells the reader to replay, with {@code {seed}} replaced by the seed. */
        public Builder replayCommand(String template) {
            this.replayCommand = InvalidInputException.requireText(template, "replayCommand", 500);
            return this;
        }

        public Simulation build() {
            if (faultyFor.isNegative()) {
                throw InvalidInputException.of("faultyFor", "must not be negative, was " + faultyFor);
            }
            if (traceSize < 0) {
                throw InvalidInputException.negative("traceSize", traceSize);
            }
            if (maxEvents <= 0) {
                throw InvalidInputException.of("maxEvents", "must be positive, was " + maxEvents);
            }
            return new Simulation(this);
        }
    }
}
