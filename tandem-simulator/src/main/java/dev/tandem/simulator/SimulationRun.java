package dev.tandem.simulator;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetters;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.Ownership;
import dev.tandem.saga.engine.TransactionView;
import dev.tandem.simulator.kernel.Scheduler;
import dev.tandem.simulator.kernel.SimulatedNetwork;
import dev.tandem.simulator.kernel.Trace;
import dev.tandem.simulator.kernel.VirtualClock;
import dev.tandem.simulator.node.CoordinatorProcess;
import dev.tandem.simulator.node.InboxProcess;
import dev.tandem.simulator.node.SimNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** One seed's run of a {@link Simulation}: builds the world, injects faults, heals, drains and checks. */
final class SimulationRun {

    private static final Duration CLIENT_RETRY = Duration.ofMillis(100);
    private static final long PLAN_SALT = 0x5DEECE66DL;

    private final Simulation sim;
    private final long seed;
    private final SplittableRandom random;
    private final Trace trace;
    private final Scheduler scheduler;
    private final SimulatedNetwork network;
    private final List<SimNode> nodes = new ArrayList<>();
    private final SimNode coordinator;
    private final List<PlannedTransaction> plan;
    private boolean healed;

    SimulationRun(Simulation sim, long seed) {
        this.sim = sim;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.trace = new Trace(sim.traceSize());
        this.scheduler = new Scheduler(random, new VirtualClock(), trace);
        this.network = new SimulatedNetwork(scheduler, sim.faults());
        Scenario scenario = sim.scenario();
        this.coordinator = new SimNode(CoordinatorProcess.NAME, scheduler, network, node -> new CoordinatorProcess(node, scenario.definitions()));
        nodes.add(coordinator);
        scenario.participants().forEach((name, factory) -> nodes.add(new SimNode(name, scheduler, network,
                node -> new InboxProcess(node.store(), factory.idempotentInbox() ? name + "/commands" : null,
                        factory.create(node.store(), node.clock())))));
        this.plan = List.copyOf(scenario.plan(new SplittableRandom(seed ^ PLAN_SALT)));
    }

    SimulationResult execute() {
        try {
            nodes.forEach(SimNode::start);
            plan.forEach(t -> scheduler.after(t.startAfter(), "client start " + t.transactionId(), () -> startOrRetry(t)));
            scheduler.after(sim.faultyFor(), "heal", this::heal);
            while (scheduler.step()) {
                if (!healed) {
                    injectFaults();
                }
                if (scheduler.executed() > sim.maxEvents()) {
                    throw InvariantViolation.of("not quiet after " + sim.maxEvents() + " simulated events ("
                            + scheduler.pending() + " still pending)");
                }
            }
            return verify();
        } catch (InvariantViolation v) {
            throw violation(v.problem(), v.getCause());
        } catch (AssertionError | RuntimeException e) {
            throw violation(e.toString(), e);
        }
    }

    private InvariantViolation violation(String problem, Throwable cause) {
        return InvariantViolation.at(seed, problem, sim.replayCommand(seed), trace.tail(), cause);
    }

    private void startOrRetry(PlannedTransaction t) {
        if (coordinator.isUp()) {
            ((CoordinatorProcess) coordinator.process()).start(t.transactionId(), t.definition(), t.input(), traceOf(t.transactionId()));
        } else {
            scheduler.after(CLIENT_RETRY, "client retry " + t.transactionId(), () -> startOrRetry(t));
        }
    }

    private void injectFaults() {
        if (chance(sim.faults().crash())) {
            SimNode victim = nodes.get(random.nextInt(nodes.size()));
            if (victim.isUp()) {
                victim.crash();
                scheduler.after(Duration.ofMillis(10 + random.nextInt(1000)), "restart " + victim.name(), victim::start);
            }
        }
        if (chance(sim.faults().clockJump())) {
            SimNode node = nodes.get(random.nextInt(nodes.size()));
            long max = sim.faults().maxClockJump().toNanos();
            Duration jump = Duration.ofNanos(max == 0 ? 0 : random.nextLong(-max, max + 1));
            node.clock().jump(jump);
            trace.record(scheduler.clock().nanos(), node.name() + " wall clock jumps " + jump);
        }
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    private void heal() {
        healed = true;
        network.heal();
        for (SimNode n : nodes) {
            n.start();
        }
    }

    private static void checkNoDeadLetters(EventStore store, String consumer) {
        List<DeadLetter> parked = new DeadLetters(store, "inbox-" + consumer).list();
        if (!parked.isEmpty()) {
            throw InvariantViolation.of("the inbox of " + consumer + " parked " + parked.size() + " message(s) as dead letters, first: "
                    + parked.getFirst());
        }
    }

    /**
     * The trace context the simulated client starts {@code transactionId} with: derived from the id, so a run replays
     * identically, and a different one per transaction.
     */
    static TraceContext traceOf(String transactionId) {
        String hex = HexFormat.of().formatHex(sha256(transactionId));
        return new TraceContext("client-" + transactionId, "00-" + hex.substring(0, 32) + "-" + hex.substring(32, 48) + "-01", "sim=" + hex.substring(48, 56));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /**
     * Every transaction keeps the trace context it was started with, and every event any node stored for it carries
     * that context, whatever was lost, repeated, reordered or crashed on the way.
     */
    private void checkTraces(Map<String, EventStore> stores, Map<String, TransactionView> states) {
        states.forEach((id, view) -> {
            if (!view.trace().equals(traceOf(id))) {
                throw InvariantViolation.of("transaction " + id + " started with trace " + traceOf(id) + " but records " + view.trace());
            }
        });
        stores.forEach((node, store) -> {
            long after = 0;
            for (List<RecordedEvent> page = store.readAll(after, 1_000); !page.isEmpty(); page = store.readAll(after, 1_000)) {
                for (RecordedEvent e : page) {
                    String id = e.metadata().transactionId();
                    if (id != null && states.containsKey(id) && !TraceContext.of(e.metadata()).equals(traceOf(id))) {
                        throw InvariantViolation.of(node + " stored " + e.type() + " at " + e.stream() + "@" + e.version() + " for transaction "
                                + id + " with " + e.metadata() + ", not the trace context it started with, " + traceOf(id));
                    }
                    after = e.position();
                }
            }
        });
    }

    private SimulationResult verify() {
        Map<String, EventStore> stores = new LinkedHashMap<>();
        nodes.forEach(n -> stores.put(n.name(), n.store()));
        Coordinator reader = new Coordinator(CoordinatorProcess.NAME, coordinator.store(), sim.scenario().definitions(),
                coordinator.clock(), new SplittableRandom(0), Ownership.all());
        Map<String, TransactionView> states = new LinkedHashMap<>();
        plan.forEach(p -> reader.find(p.transactionId()).ifPresent(v -> states.put(p.transactionId(), v)));
        SimulationOutcome outcome = new SimulationOutcome(seed, plan, states, stores);
        int committed = 0;
        int compensated = 0;
        int stuck = 0;
        for (PlannedTransaction p : plan) {
            TransactionView t = outcome.transaction(p.transactionId());
            switch (t.status()) {
                case COMMITTED -> committed++;
                case COMPENSATED -> compensated++;
                case STUCK -> {
                    stuck++;
                    if (!sim.allowStuck()) {
                        throw InvariantViolation.of("transaction " + t.id() + " is STUCK: " + t.reason());
                    }
                }
                case RUNNING, CONFIRMING, COMPENSATING -> throw InvariantViolation.of(
                        "transaction " + t.id() + " is still " + t.status() + " although the run is quiet: " + t.steps());
            }
        }
        checkNoDeadLetters(coordinator.store(), CoordinatorProcess.CONSUMER);
        sim.scenario().participants().forEach((name, factory) -> {
            if (factory.idempotentInbox()) {
                checkNoDeadLetters(stores.get(name), name + "/commands");
            }
        });
        for (SimNode n : nodes) {
            if (!n.outboxIdle()) {
                throw InvariantViolation.of(n.name() + " still has unacknowledged outgoing messages although the run is quiet");
            }
        }
        checkTraces(stores, states);
        sim.scenario().verify(outcome);
        return new SimulationResult(seed, plan.size(), committed, compensated, stuck, scheduler.executed(),
                Duration.ofNanos(scheduler.clock().nanos()), network.sent(), network.dropped(),
                nodes.stream().mapToInt(SimNode::crashes).sum(), trace.digest());
    }
}
