package dev.tandem.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How long and where a suite runs.
 *
 * @param duration how long each measured case runs (after its warm-up)
 * @param warmup how long each case runs before it is measured
 * @param workDir where the suite may create databases and logs; the suite deletes what it made
 * @param quick a short run for smoke tests: fewer cases, shorter durations
 */
public record BenchOptions(Duration duration, Duration warmup, Path workDir, boolean quick) {}
