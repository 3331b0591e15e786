package dev.tandem.cli;

import dev.tandem.simulator.CampaignSummary;
import dev.tandem.simulator.FaultPlan;
import dev.tandem.simulator.InvariantViolation;
import dev.tandem.simulator.Simulation;
import dev.tandem.simulator.bank.BankScenario;
import java.util.concurrent.Callable;
import dev.tandem.core.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code tandem sim}: runs the deterministic simulator over the bank model and prints a summary. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Run the deterministic simulator: bank transfers (saga and TCC) under message loss, duplication,",
                "reordering, delay, crashes, late timers and clock jumps; then check every invariant.",
                "A failing seed prints itself; --seed S replays it identically. Exits 1 on any violation."})
final class SimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seeds", description = "How many consecutive seeds to run (default: 1000, or 1 with --seed).")
    Integer seeds;

    @Option(names = "--seed", description = "The first (or only) seed to run (default: 1).")
    Long seed;

    @Option(names = "--faults", defaultValue = "standard",
            description = {"Fault plan: 'standard', 'none', or key=value pairs over standard, e.g. drop=0.2,crash=0.02.",
                    "Keys: drop, duplicate, reorder, crash, clockJump (probabilities); minLatency, maxLatency,",
                    "maxTimerLateness, maxClockJump (ms). Default: ${DEFAULT-VALUE}."})
    String faults;

    @Option(names = "--transfers", defaultValue = "2..5", description = "Transfers per seed, min..max (default: ${DEFAULT-VALUE}).")
    String transfers;

    @Option(names = "--faulty-for", defaultValue = "5s",
            description = "Virtual time during which faults are injected before the run heals, e.g. 5s, 2m (default: ${DEFAULT-VALUE}).")
    String faultyFor;

    @Option(names = "--allow-stuck", description = "Accept STUCK as an end state (for fault plans where compensations may never succeed).")
    boolean allowStuck;

    @Option(names = "--trace", defaultValue = "60", description = "Simulated events to print before a violation (default: ${DEFAULT-VALUE}).")
    int trace;

    @Option(names = "--show", defaultValue = "3", description = "Violations to print in full (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--plant-bug", defaultValue = "NONE",
            description = "Plant a participant bug to see the checks catch it: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BankScenario.Bug bug;

    @Override
    public Integer call() {
        FaultPlan plan;
        try {
            plan = FaultPlan.parse(faults);
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), "--faults: " + e.getMessage());
        }
        int[] range = range(transfers);
        if (range[0] < 1 || range[1] < range[0]) {
            throw new ParameterException(spec.commandLine(), "--transfers needs 1 <= MIN <= MAX, was '" + transfers + "'");
        }
        if (seeds != null && seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, was " + seeds);
        }
        long first = seed == null ? 1 : seed;
        int count = seeds != null ? seeds : (seed != null ? 1 : 1000);
        java.time.Duration faulty;
        try {
            faulty = Durations.parse(faultyFor, "--faulty-for");
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String replay = "tandem sim --seed {seed} --faults " + faults.trim() + " --transfers " + transfers + " --faulty-for " + faultyFor
                + (allowStuck ? " --allow-stuck" : "")
                + (bug == BankScenario.Bug.NONE ? "" : " --plant-bug " + bug);
        Simulation sim = Simulation.builder(new BankScenario(range[0], range[1], bug))
                .faults(plan)
                .traceSize(trace)
                .faultyFor(faulty)
                .allowStuck(allowStuck)
                .replayCommand(replay)
                .build();
        System.out.printf("simulating seeds %d..%d, faults %s%n", first, first + count - 1, faults.trim());
        CampaignSummary summary = sim.runSeeds(first, count, show);
        for (InvariantViolation v : summary.violations()) {
            System.out.println();
            System.out.println("VIOLATION " + v.getMessage());
        }
        System.out.println();
        System.out.println(summary.describe());
        return summary.violationCount() == 0 ? 0 : 1;
    }

    private int[] range(String text) {
        String[] parts = text.trim().split("\\.\\.");
        try {
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : min;
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--transfers must be N or MIN..MAX, was '" + text + "'");
        }
    }
}
