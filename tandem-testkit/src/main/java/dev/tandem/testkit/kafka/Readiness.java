package dev.tandem.testkit.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Waits until a broker answers an admin request, by probing it; never by sleeping a fixed time. */
final class Readiness {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private Readiness() {}

    /**
     * Probes {@code bootstrapServers} until it reports a live broker; fails early when {@code failure}
     * returns a reason (such as "the process exited").
     */
    static void await(String bootstrapServers, Supplier<String> failure) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                String reason = failure.get();
                if (reason != null) {
                    throw new IllegalStateException("test broker at " + bootstrapServers + " did not start: " + reason, last);
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the test broker at " + bootstrapServers, e);
                }
            }
        }
        throw new IllegalStateException("test broker at " + bootstrapServers + " not ready after " + START_TIMEOUT, last);
    }
}
