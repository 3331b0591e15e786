package dev.tandem.simulator;

import java.time.Duration;
import java.util.List;

/**
 * The totals of many seeds run by {@link Simulation#runSeeds}.
 *
 * @param violations the first violations found (at most the number asked for), each naming its seed
 * @param violationCount how many seeds violated an invariant in all
 * @param digest a hash over every passing seed's trace digest, in seed order: equal for identical campaigns
 * @param elapsed wall time the campaign took
 */
public record CampaignSummary(
        long firstSeed,
        int seeds,
        long transactions,
        long committed,
        long compensated,
        long stuck,
        long events,
        long crashes,
        int violationCount,
        List<InvariantViolation> violations,
        long digest,
        Duration elapsed) {

    public CampaignSummary {
        violations = List.copyOf(violations);
    }

    /** Seeds per second of wall time. */
    public double seedsPerSecond() {
        return elapsed.isZero() ? 0 : seeds / (elapsed.toNanos() / 1e9);
    }

    /** A one-paragraph, human-readable summary. */
    public String describe() {
        return String.format("seeds %d (from %d), transactions %d: committed %d, compensated %d, stuck %d; "
                        + "simulated events %d, crashes %d; violations %d; digest %016x; %.1f s (%.0f seeds/s)",
                seeds, firstSeed, transactions, committed, compensated, stuck, events, crashes, violationCount,
                digest, elapsed.toNanos() / 1e9, seedsPerSecond());
    }
}
