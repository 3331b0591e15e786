package dev.tandem.example.bank.http;

import com.sun.net.httpserver.HttpExchange;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.engine.CoordinatorNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health}: whether the service can do its work, for an orchestrator's probe: {@code 200} with status
 * {@code UP}, or {@code 503} with {@code DOWN} and the failed checks' reasons. Per messaging node: its store answers
 * (a read of its last position), and its outbox relay has not stopped (a batch the transport accepted and then
 * failed stops it until the service restarts, which publishes again from its checkpoint).
 */
final class ServiceHealth {

    /** One check's outcome; {@code reason} is null when it is up. */
    record Check(String name, String status, String reason) {}

    private final Supplier<List<ServiceNode>> nodes;
    private final CoordinatorService coordinator;

    /** @param coordinator the coordinator's service, or null on a bank */
    ServiceHealth(Supplier<List<ServiceNode>> nodes, CoordinatorService coordinator) {
        this.nodes = nodes;
        this.coordinator = coordinator;
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        if (coordinator != null && coordinator.role() == CoordinatorNode.Role.STANDING_BY) { // healthy: ready to take over
            Check store = storeCheck(CoordinatorService.NAME, () -> coordinator.store().lastPosition());
            checks.add(store);
            if (store.status().equals("UP")) {
                String leader;
                try {
                    leader = coordinator.leader().map(l -> "instance " + l + " leads").orElse("no instance leads right now");
                } catch (RuntimeException e) { // the store stopped answering in between
                    leader = "the leader is unknown: " + DeadLetter.describe(e);
                }
                checks.add(new Check("leadership", "UP", "standing by: " + leader));
            }
        }
        for (ServiceNode node : nodes.get()) {
            checks.add(storeCheck(node.service(), () -> node.store().lastPosition()));
            String relay = "outbox-" + node.service();
            checks.add(node.relay().failure()
                    .map(f -> new Check(relay, "DOWN", "stopped after a failed batch; restart the service (it publishes again from its checkpoint): "
                            + DeadLetter.describe(f)))
                    .orElse(new Check(relay, "UP", null)));
        }
        return checks;
    }

    /** Whether the store of {@code service} answers a read of its last position. */
    private static Check storeCheck(String service, Runnable read) {
        try {
            read.run();
            return new Check("store-" + service, "UP", null);
        } catch (RuntimeException e) {
            return new Check("store-" + service, "DOWN", DeadLetter.describe(e));
        }
    }

    void handle(HttpExchange exchange) throws Exception {
        Exchanges.requireGetAt(exchange, "/health");
        List<Check> checks = checks();
        boolean up = checks.stream().allMatch(c -> c.status().equals("UP"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (coordinator != null) {
            body.put("role", coordinator.role());
            coordinator.instance().ifPresent(i -> body.put("instance", i));
        }
        body.put("checks", checks);
        Exchanges.json(exchange, up ? 200 : 503, body);
    }
}
