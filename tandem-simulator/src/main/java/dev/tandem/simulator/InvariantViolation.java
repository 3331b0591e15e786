package dev.tandem.simulator;

import java.util.List;

/**
 * An invariant did not hold at the end of a simulated run: carries the seed to replay and the last simulated
 * events that led there.
 */
public final class InvariantViolation extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final long seed;
    private final String problem;
    private final transient List<String> trace;

    private InvariantViolation(long seed, String problem, String replay, List<String> trace, Throwable cause) {
        super(describe(seed, problem, replay, trace), cause);
        this.seed = seed;
        this.problem = problem;
        this.trace = List.copyOf(trace);
    }

    /** A violation found by a check that does not know the seed yet; the simulation adds seed and trace. */
    public static InvariantViolation of(String problem) {
        return new InvariantViolation(-1, problem, null, List.of(), null);
    }

    static InvariantViolation at(long seed, String problem, String replay, List<String> trace, Throwable cause) {
        return new InvariantViolation(seed, problem, replay, trace, cause);
    }

    public long seed() {
        return seed;
    }

    /** What was wrong, without seed and trace. */
    public String problem() {
        return problem;
    }

    /** The last simulated events, oldest first. */
    public List<String> trace() {
        return trace == null ? List.of() : trace;
    }

    private static String describe(long seed, String problem, String replay, List<String> trace) {
        if (seed < 0) {
            return problem;
        }
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(": ").append(problem)
                .append("\n  replay with: ").append(replay);
        if (!trace.isEmpty()) {
            sb.append("\n  last ").append(trace.size()).append(" simulated events:");
            trace.forEach(line -> sb.append("\n    ").append(line));
        }
        return sb.toString();
    }
}
