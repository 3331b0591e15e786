package dev.tandem.example.bank.http;

import com.sun.net.httpserver.HttpExchange;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.runtime.ServiceNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: whether the service can do its work, for an orchestrator's probe: {@code 200} with status
 * {@code UP}, or {@code 503} with {@code DOWN} and the failed checks' reasons. Per messaging node: its store answers
 * (a read of its last position), and its outbox relay has not stopped (a batch the transport accepted and then
 * failed stops it until the service restarts, which publishes again from its checkpoint).
 */
final class ServiceHealth {

    /** One check's outcome; {@code reason} is null when it is up. */
    record Check(String name, String status, String reason) {}

    private final List<ServiceNode> nodes;

    ServiceHealth(List<ServiceNode> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        for (ServiceNode node : nodes) {
            String store = "store-" + node.service();
            try {
                node.store().lastPosition();
                checks.add(new Check(store, "UP", null));
            } catch (RuntimeException e) {
                checks.add(new Check(store, "DOWN", DeadLetter.describe(e)));
            }
            String relay = "outbox-" + node.service();
            checks.add(node.relay().failure()
                    .map(f -> new Check(relay, "DOWN", "stopped after a failed batch; restart the service (it publishes again from its checkpoint): "
                            + DeadLetter.describe(f)))
                    .orElse(new Check(relay, "UP", null)));
        }
        return checks;
    }

    void handle(HttpExchange exchange) throws Exception {
        Exchanges.requireGetAt(exchange, "/health");
        List<Check> checks = checks();
        boolean up = checks.stream().allMatch(c -> c.status().equals("UP"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        Exchanges.json(exchange, up ? 200 : 503, body);
    }
}
