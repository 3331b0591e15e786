package dev.tandem.bench;

import java.util.Arrays;

/** Collects latency samples (nanoseconds) and reports percentiles. Not thread-safe: one per thread, then {@link #merge}. */
public final class Percentiles {

    private long[] samples = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public void merge(Percentiles other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
    }

    public int count() {
        return size;
    }

    /** The {@code p}-th percentile (0–100) in milliseconds, 0 when empty. */
    public double millis(double p) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int idx = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
        return sorted[idx] / 1_000_000.0;
    }
}
