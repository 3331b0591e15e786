package dev.tandem.bench.store;

import dev.tandem.bench.BenchOptions;
import dev.tandem.bench.BenchReport;
import dev.tandem.bench.BenchSuite;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code tandem bench store}: append throughput and catch-up read rate of every event store backend.
 *
 * <p>Set the system property {@code tandem.bench.store.backends} (e.g. {@code sqlite}) to run only some.
 */
public final class StoreBench implements BenchSuite {

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String description() {
        return "event store: durable append throughput (1/64 appenders x 1/10 events) and subscription catch-up";
    }

    static List<StoreBackend> backends() {
        return List.of(new SqliteBackend(), new PostgresBackend());
    }

    @Override
    public void run(BenchReport report, BenchOptions options) throws Exception {
        String only = System.getProperty("tandem.bench.store.backends", "");
        Set<String> chosen = Arrays.stream(only.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (StoreBackend backend : backends()) {
            if (!chosen.isEmpty() && !chosen.contains(backend.name())) {
                continue;
            }
            try (backend) {
                new StoreWorkload(backend, options, report).run();
            }
        }
    }
}
