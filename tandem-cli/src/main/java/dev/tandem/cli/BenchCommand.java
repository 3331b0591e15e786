package dev.tandem.cli;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import dev.tandem.bench.WorkFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem bench <suite>}: runs a benchmark suite and prints {@code RESULT} lines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark suite; prints RESULT <metric> <value> <unit> lines.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", description = "The suite to run; omit to list them.")
    String suite;

    @Option(names = "--duration", description = "Measured time per case, e.g. 10s (default: ${DEFAULT-VALUE}).", defaultValue = "10s")
    String duration;

    @Option(names = "--warmup", description = "Least warm-up time per case (default: ${DEFAULT-VALUE}); past it a case warms up on"
            + " until the JIT compiler spent under 2%% of each of the last two 2 s rounds compiling, or --warmup-limit.", defaultValue = "10s")
    String warmup;

    @Option(names = "--warmup-limit", description = "Longest warm-up per case while the JIT compiler is still busy (default: ${DEFAULT-VALUE}).",
            defaultValue = "60s")
    String warmupLimit;

    @Option(names = "--quick", description = "A short smoke run: fewer cases, 1s each.")
    boolean quick;

    @Option(names = "--work-dir", description = "Where to create databases and logs (default: a temporary directory); a case that passed deletes its own.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<BenchSuite> suites = new ArrayList<>();
        ServiceLoader.load(BenchSuite.class).forEach(suites::add);
        if (suite == null) {
            System.out.println("Suites:");
            suites.forEach(s -> System.out.printf("  %-10s %s%n", s.name(), s.description()));
            return 0;
        }
        BenchSuite chosen = suites.stream().filter(s -> s.name().equals(suite)).findFirst().orElse(null);
        if (chosen == null) {
            System.err.println("unknown suite '" + suite + "'; known: " + suites.stream().map(BenchSuite::name).toList());
            return 2;
        }
        Duration d = quick ? Duration.ofSeconds(1) : Durations.parse(duration, "--duration");
        Duration w = quick ? Duration.ofMillis(500) : Durations.parse(warmup, "--warmup");
        Duration limit = quick ? w : Durations.parse(warmupLimit, "--warmup-limit");
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tandem-bench-");
        BenchReport report = new BenchReport(System.out);
        report.machine();
        try {
            chosen.run(report, new BenchOptions(d, w, limit, dir, quick));
        } catch (Exception | Error e) {
            System.err.println("the run failed; its files are kept in " + dir);
            throw e;
        }
        if (workDir == null) {
            WorkFiles.deleteTree(dir); // each suite deletes what a passing case made; this is the directory itself
        }
        return 0;
    }
}
