package dev.tandem.bench;

/**
 * One benchmark suite ({@code store}, {@code messaging}, {@code engine}, {@code e2e}), found through
 * {@link java.util.ServiceLoader}: list an implementation in
 * {@code META-INF/services/dev.tandem.bench.BenchSuite}.
 */
public interface BenchSuite {

    /** The name users type: {@code tandem bench <name>}. */
    String name();

    /** One line on what it measures. */
    String description();

    /** Runs the suite, reporting each figure through {@link BenchReport#result}. */
    void run(BenchReport report, BenchOptions options) throws Exception;
}
