package dev.tandem.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How long and where a suite runs.
 *
 * @param duration how long each measured case runs (after its warm-up)
 * @param warmup how long each case runs at least before it is measured
 * @param warmupLimit the longest a case's warm-up runs in all while the JIT compiler is still busy ({@link Warmup}); a limit
 *     below {@code warmup} means {@code warmup}
 * @param workDir where the suite may create databases and logs; the suite deletes what it made
 * @param quick a short run for smoke tests: fewer cases, shorter durations
 */
public record BenchOptions(Duration duration, Duration warmup, Duration warmupLimit, Path workDir, boolean quick) {

    /** Runs a case's warm-up: at least {@link #warmup}, then on until the JIT compiler settled or {@link #warmupLimit}. */
    public Warmup.Outcome warmUp(Warmup.Workload workload) throws Exception {
        return Warmup.run(warmup, warmupLimit, workload);
    }
}
