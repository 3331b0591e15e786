package dev.tandem.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The warm-up of a bench case: runs the case's workload in rounds for at least the asked-for time, then on until the JIT
 * compiler has settled (spent under {@link #SETTLED_SHARE} of the wall time compiling in each of the last
 * {@link #QUIET_ROUNDS} rounds) or the limit has passed.
 *
 * <p>On two cores HotSpot's C2 compiler thread takes a fifth to a third of the machine for 20–40 s after a JVM starts
 * Tandem's paths; a fixed warm-up of 10 s measured a mix of compiling and running that moved a case's figure by half
 * from one run to the next. A case reports its steady state, and says how much compiling still fell in its measured time
 * ({@link JvmActivity}).
 */
public final class Warmup {

    /** The compiler counts as settled once it compiled for less than this share of each of {@link #QUIET_ROUNDS} rounds. */
    public static final double SETTLED_SHARE = 0.02;

    /** How many rounds in a row the compiler must stay under {@link #SETTLED_SHARE}. */
    public static final int QUIET_ROUNDS = 2;

    /** How long one round of the workload runs. */
    public static final Duration ROUND = Duration.ofSeconds(2);

    /** Runs a case's workload for about the given time, without measuring it. */
    @FunctionalInterface
    public interface Workload {
        void run(Duration duration) throws Exception;
    }

    /**
     * What a warm-up did.
     *
     * @param took how long it ran
     * @param settled whether the compiler had settled when it stopped (false: it stopped at the limit, or the JVM does not
     *     tell compile times)
     * @param lastShare the share of the last round's wall time the compiler spent compiling, or -1 if unknown
     */
    public record Outcome(Duration took, boolean settled, double lastShare) {
        /** One line for a report's notes. */
        public String describe() {
            String s = String.format(Locale.ROOT, "warm-up %.1f s", took.toMillis() / 1e3);
            if (lastShare < 0) {
                return s + " (the JVM does not tell how long its JIT compiler ran)";
            }
            return s + String.format(Locale.ROOT, settled ? ", the JIT compiler settled (%.1f%% of the last round compiling)"
                    : ", stopped at the limit with the JIT compiler still at %.1f%% of the last round", lastShare * 100);
        }
    }

    private final LongSupplier compileMillis;
    private final LongSupplier nanoTime;

    /**
     * @param compileMillis the compiler's accumulated time in milliseconds, or a negative value if unknown
     * @param nanoTime a monotonic clock
     */
    Warmup(LongSupplier compileMillis, LongSupplier nanoTime) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
    }

    /** Warms up {@code workload} on this JVM for at least {@code minimum} and at most about {@code limit}. */
    public static Outcome run(Duration minimum, Duration limit, Workload workload) throws Exception {
        return new Warmup(JvmActivity::compileMillis, System::nanoTime).warm(minimum, limit, workload);
    }

    Outcome warm(Duration minimum, Duration limit, Workload workload) throws Exception {
        if (minimum.isNegative() || limit.isNegative()) {
            throw new IllegalArgumentException("warm-up times must not be negative: minimum " + minimum + ", limit " + limit);
        }
        long start = nanoTime.getAsLong();
        long minimumNanos = minimum.toNanos();
        long limitNanos = Math.max(minimumNanos, limit.toNanos());
        double share = -1;
        int rounds = 0;
        int quiet = 0;
        while (true) {
            long elapsed = nanoTime.getAsLong() - start;
            boolean settled = quiet >= QUIET_ROUNDS;
            boolean unknown = rounds > 0 && share < 0;
            if (elapsed >= minimumNanos && (settled || unknown || elapsed >= limitNanos)) {
                return new Outcome(Duration.ofNanos(elapsed), settled, share);
            }
            // A last round of the minimum no longer than what is left of it; past it, whole rounds.
            long round = elapsed < minimumNanos ? Math.min(ROUND.toNanos(), minimumNanos - elapsed) : ROUND.toNanos();
            long c0 = compileMillis.getAsLong();
            long t0 = nanoTime.getAsLong();
            workload.run(Duration.ofNanos(round));
            long c1 = compileMillis.getAsLong();
            long wall = nanoTime.getAsLong() - t0;
            share = share(c0, c1, wall);
            rounds++;
            quiet = share >= 0 && share < SETTLED_SHARE ? quiet + 1 : 0;
        }
    }

    /** The share of {@code wallNanos} the compiler spent compiling, from its times before and after in ms; -1 if unknown. */
    static double share(long compileMillisBefore, long compileMillisAfter, long wallNanos) {
        return compileMillisBefore < 0 || compileMillisAfter < 0 || wallNanos <= 0 ? -1
                : (compileMillisAfter - compileMillisBefore) * 1e6 / wallNanos;
    }

    /**
     * What the JVM itself did during a measured run, beside the case: its JIT compiler's compiling and its garbage
     * collections, each as a share of the wall time since this was made.
     */
    public static final class JvmActivity {
        private final long startCompileMillis = compileMillis();
        private final long startGcMillis = gcMillis();
        private final long startNanos = System.nanoTime();

        /** The compiler's accumulated time in milliseconds (summed over its threads), or -1 if the JVM does not tell. */
        public static long compileMillis() {
            CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
            return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean.getTotalCompilationTime() : -1;
        }

        /**
         * The collectors' accumulated time in milliseconds (with the Parallel collector, the time the application stood
         * still for them), or -1 if no collector tells.
         */
        public static long gcMillis() {
            long total = -1;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                long t = gc.getCollectionTime();
                if (t >= 0) {
                    total = Math.max(total, 0) + t;
                }
            }
            return total;
        }

        /** The share of the wall time since this was made that the compiler spent compiling, or -1 if unknown. */
        public double compileShare() {
            return Warmup.share(startCompileMillis, compileMillis(), System.nanoTime() - startNanos);
        }

        /** The share of the wall time since this was made that garbage collections took, or -1 if unknown. */
        public double gcShare() {
            return Warmup.share(startGcMillis, gcMillis(), System.nanoTime() - startNanos);
        }

        /**
         * A note for a report, e.g. {@code "the JIT compiler ran for 0.8% and garbage collections for 2.1% of the measured
         * time"}: a case whose collections take a large share measures the collector as much as the code.
         */
        public String describe() {
            double jit = compileShare();
            double gc = gcShare();
            String compiler = jit < 0 ? "the JIT compiler's time is not told" : String.format(Locale.ROOT, "the JIT compiler ran for %.1f%%", jit * 100);
            String collector = gc < 0 ? "the collectors' time is not told" : String.format(Locale.ROOT, "garbage collections for %.1f%%", gc * 100);
            return compiler + " and " + collector + " of the measured time";
        }
    }
}
