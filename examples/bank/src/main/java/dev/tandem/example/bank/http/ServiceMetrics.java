package dev.tandem.example.bank.http;

import com.sun.net.httpserver.HttpExchange;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.runtime.ServiceNodeMetrics;
import dev.tandem.saga.engine.CoordinatorNode;
import dev.tandem.saga.engine.CoordinatorMetrics;
import io.micrometer.core.instrument.Gauge;
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

    /**
     * @param bank the bank on a bank's service, else null
     * @param coordinator the coordinator on a coordinator's service, else null
     */
    ServiceMetrics(BankService bank, CoordinatorService coordinator) {
        if (bank != null) {
            new ServiceNodeMetrics(bank.node()).bindTo(registry);
        }
        if (coordinator != null) {
            // the node of whichever term this instance leads (none while it stands by)
            ServiceNodeMetrics.following(CoordinatorService.NAME, coordinator::node, List.of(CoordinatorService.NAME)).bindTo(registry);
            new CoordinatorMetrics(coordinator.coordinator()).bindTo(registry);
            Gauge.builder("tandem.coordinator.leading", coordinator, c -> c.role() == CoordinatorNode.Role.LEADING ? 1 : 0)
                    .description("1 while this instance drives the transactions, 0 while it stands by").tag("coordinator", CoordinatorService.NAME)
                    .register(registry);
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
