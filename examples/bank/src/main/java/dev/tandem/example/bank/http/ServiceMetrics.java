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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /metrics}: one service's meters in the Prometheus text format: its messaging (outbox relay and inboxes,
 * {@link ServiceNodeMetrics}), on the coordinator its transactions ({@link CoordinatorMetrics}), and the JVM's.
 */
final class ServiceMetrics implements AutoCloseable {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

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
        if (!exchange.getRequestMethod().equals("GET")) {
            throw new HttpProblem(405, "method_not_allowed", exchange.getRequestMethod() + " is not supported on /metrics; use GET").raise();
        }
        if (!exchange.getRequestURI().getPath().replaceAll("/+$", "").equals("/metrics")) {
            throw HttpProblem.notFound("no resource at " + exchange.getRequestURI().getPath()).raise();
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
