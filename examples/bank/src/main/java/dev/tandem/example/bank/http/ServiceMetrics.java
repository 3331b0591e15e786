package dev.tandem.example.bank.http;

import com.sun.net.httpserver.HttpExchange;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.messaging.runtime.ServiceNodeMetrics;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.CoordinatorMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /metrics}: one service's meters in the Prometheus text format: its messaging (outbox relay and inboxes,
 * {@link ServiceNodeMetrics}), on the coordinator its transactions ({@link CoordinatorMetrics}), and the JVM's.
 */
final class ServiceMetrics implements AutoCloseable {

    /** What {@link PrometheusMeterRegistry#scrape()} writes (the exposition library's constant is not on the compile path). */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** @param coordinator the coordinator on a coordinator's service, else null */
    ServiceMetrics(List<ServiceNode> nodes, Coordinator coordinator) {
        for (ServiceNode node : nodes) {
            new ServiceNodeMetrics(node).bindTo(registry);
        }
        if (coordinator != null) {
            new CoordinatorMetrics(coordinator).bindTo(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void handle(HttpExchange exchange) throws Exception {
        Exchanges.requireGetAt(exchange, "/metrics");
        Exchanges.send(exchange, 200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
