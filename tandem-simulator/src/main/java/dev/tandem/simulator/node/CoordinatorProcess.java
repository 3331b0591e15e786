package dev.tandem.simulator.node;

import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.Ownership;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The coordinator process of the simulation: the engine's real {@link Coordinator} (decider, transaction
 * streams, outbox commands, reply handler, recovery) over the node's store and wall clock, with the
 * simulator standing in for the timer driver, the inbox and the transport.
 *
 * <p>Built at every start of the node, so a restart runs the engine's recovery path; its timer wake-ups are
 * scheduled on the node's wall clock and may fire late.
 */
public final class CoordinatorProcess implements NodeProcess {

    public static final String NAME = "coordinator";
    public static final String CONSUMER = "coordinator/replies";

    private final SimNode node;
    private final Coordinator coordinator;
    private final InboxProcess inbox;
    private Instant armedFor;

    public CoordinatorProcess(SimNode node, DefinitionRegistry registry) {
        this.node = node;
        // A stuck transaction is one of the run's outcomes, checked and counted by the simulator: no alert per run.
        this.coordinator = new Coordinator(NAME, node.store(), registry, node.clock(),
                new SplittableRandom(node.scheduler().random().nextLong()), Ownership.all(), tx -> {});
        this.inbox = new InboxProcess(node.store(), CONSUMER, coordinator.replyHandler());
        coordinator.recover();
        arm();
    }

    /** Starts {@code transactionId} as a client would (idempotent for the same input). */
    public void start(String transactionId, String definition, String input, TraceContext trace) {
        EventStore.await(coordinator.startAsync(transactionId, definition, input, trace));
        node.committed();
        arm();
    }

    @Override
    public boolean deliver(Message message) {
        boolean handled = inbox.deliver(message);
        arm();
        return handled;
    }

    private void fire() {
        armedFor = null;
        coordinator.fireDueTimers();
        node.committed();
        arm();
    }

    /** Schedules a wake-up for the coordinator's next due timer, on this node's wall clock, possibly late. */
    private void arm() {
        Instant due = coordinator.nextDueAt().orElse(null);
        if (due == null || (armedFor != null && !armedFor.isAfter(due))) {
            return;
        }
        armedFor = due;
        long wait = Math.max(0, Duration.between(node.clock().instant(), due).toNanos());
        Duration maxLateness = node.network().faults().maxTimerLateness();
        long late = maxLateness.isZero() ? 0 : node.scheduler().random().nextLong(maxLateness.toNanos() + 1);
        node.schedule(Duration.ofNanos(wait + late), "timers", this::fire);
    }
}
