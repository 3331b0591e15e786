package dev.tandem.simulator;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The faults a simulation injects until it heals: lost, duplicated, reordered and delayed messages, node
 * crashes, late timers and wall-clock jumps. Probabilities are per message or per scheduling decision.
 *
 * @param drop probability that a message is lost in transit
 * @param duplicate probability that a message is delivered twice
 * @param reorder probability that a message is held back long enough for later ones to overtake it
 * @param minLatency the least time a message takes
 * @param maxLatency the most time a message takes when not held back
 * @param crash probability, per simulated event handled by a node, that the node crashes right after it
 * @param maxTimerLateness the most a timer may fire after it is due
 * @param clockJump probability, per simulated event, that some node's wall clock jumps
 * @param maxClockJump the largest jump, forwards or backwards
 */
public record FaultPlan(
        double drop,
        double duplicate,
        double reorder,
        Duration minLatency,
        Duration maxLatency,
        double crash,
        Duration maxTimerLateness,
        double clockJump,
        Duration maxClockJump) {

    public FaultPlan {
        probability(drop, "drop");
        probability(duplicate, "duplicate");
        probability(reorder, "reorder");
        probability(crash, "crash");
        probability(clockJump, "clockJump");
        nonNegative(minLatency, "minLatency");
        nonNegative(maxLatency, "maxLatency");
        nonNegative(maxTimerLateness, "maxTimerLateness");
        nonNegative(maxClockJump, "maxClockJump");
        if (maxLatency.compareTo(minLatency) < 0) {
            throw InvalidInputException.of("maxLatency", "must be at least minLatency " + minLatency + ", was " + maxLatency);
        }
    }

    /** No faults: every message arrives once, in order of sending, after {@code 1..5 ms}. */
    public static FaultPlan none() {
        return new FaultPlan(0, 0, 0, Duration.ofMillis(1), Duration.ofMillis(5), 0, Duration.ZERO, 0, Duration.ZERO);
    }

    /** Every kind of fault at a rate that still lets most transactions finish during the faulty phase. */
    public static FaultPlan standard() {
        return new FaultPlan(0.05, 0.05, 0.10, Duration.ofMillis(1), Duration.ofMillis(20), 0.01,
                Duration.ofMillis(500), 0.01, Duration.ofSeconds(30));
    }

    /**
     * Parses {@code key=value} pairs separated by commas over {@link #standard()}, e.g. {@code drop=0.1,crash=0}.
     * Keys: drop, duplicate, reorder, crash, clockJump (probabilities), minLatency, maxLatency,
     * maxTimerLateness, maxClockJump (milliseconds); {@code none} or {@code standard} alone name those plans.
     */
    public static FaultPlan parse(String spec) {
        InvalidInputException.requireNonNull(spec, "faults");
        String trimmed = spec.trim();
        if (trimmed.equalsIgnoreCase("none")) {
            return none();
        }
        if (trimmed.equalsIgnoreCase("standard")) {
            return standard();
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : trimmed.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw InvalidInputException.of("faults", "expected key=value, got '" + part.trim() + "' in '" + spec + "'");
            }
            kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        FaultPlan d = standard();
        FaultPlan p = new FaultPlan(
                number(kv.remove("drop"), d.drop, "drop"),
                number(kv.remove("duplicate"), d.duplicate, "duplicate"),
                number(kv.remove("reorder"), d.reorder, "reorder"),
                millis(kv.remove("minlatency"), d.minLatency, "minLatency"),
                millis(kv.remove("maxlatency"), d.maxLatency, "maxLatency"),
                number(kv.remove("crash"), d.crash, "crash"),
                millis(kv.remove("maxtimerlateness"), d.maxTimerLateness, "maxTimerLateness"),
                number(kv.remove("clockjump"), d.clockJump, "clockJump"),
                millis(kv.remove("maxclockjump"), d.maxClockJump, "maxClockJump"));
        if (!kv.isEmpty()) {
            throw InvalidInputException.of("faults", "unknown keys " + kv.keySet() + " in '" + spec + "'");
        }
        return p;
    }

    private static double number(String text, double fallback, String field) {
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("faults." + field, "is not a number: '" + text + "'");
        }
    }

    private static Duration millis(String text, Duration fallback, String field) {
        return text == null ? fallback : Duration.ofMillis((long) number(text, 0, field));
    }

    private static void probability(double p, String field) {
        if (!(p >= 0 && p <= 1)) {
            throw InvalidInputException.of("faults." + field, "must be a probability in [0, 1], was " + p);
        }
    }

    private static void nonNegative(Duration d, String field) {
        InvalidInputException.requireNonNull(d, "faults." + field);
        if (d.isNegative()) {
            throw InvalidInputException.of("faults." + field, "must not be negative, was " + d);
        }
    }
}
