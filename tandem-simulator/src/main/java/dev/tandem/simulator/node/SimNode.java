package dev.tandem.simulator.node;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import dev.tandem.simulator.kernel.NodeClock;
import dev.tandem.simulator.kernel.Scheduler;
import dev.tandem.simulator.kernel.SimulatedNetwork;
import java.time.Duration;
import java.util.function.Function;

/**
 * One simulated service: a store that stands in for its disk (it survives crashes), a wall clock that may
 * jump, and a process plus outbox sender that a crash throws away and a restart rebuilds from the store.
 *
 * <p>Everything the node schedules belongs to its current incarnation; after a crash it is skipped, so
 * pending timers, re-sends and handler state are lost exactly as in a real process.
 */
public final class SimNode {

    private final String name;
    private final Scheduler scheduler;
    private final SimulatedNetwork network;
    private final NodeClock clock;
    private final InMemoryEventStore store;
    private final Function<SimNode, NodeProcess> processFactory;
    private NodeProcess process;
    private OutboxSender outbox;
    private int incarnation;
    private boolean up;
    private int crashes;

    public SimNode(String name, Scheduler scheduler, SimulatedNetwork network, Function<SimNode, NodeProcess> processFactory) {
        this.name = name;
        this.scheduler = scheduler;
        this.network = network;
        this.processFactory = processFactory;
        this.clock = new NodeClock(scheduler.clock());
        this.store = new InMemoryEventStore(StoreOptions.defaults().withClock(clock));
        network.register(name, this::receive);
    }

    public String name() {
        return name;
    }

    public InMemoryEventStore store() {
        return store;
    }

    public NodeClock clock() {
        return clock;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public SimulatedNetwork network() {
        return network;
    }

    public boolean isUp() {
        return up;
    }

    public int crashes() {
        return crashes;
    }

    public NodeProcess process() {
        return process;
    }

    long nowNanos() {
        return scheduler.clock().nanos();
    }

    /** Starts (or restarts) the node: rebuilds its process and outbox sender from the store. */
    public void start() {
        if (up) {
            return;
        }
        incarnation++;
        up = true;
        scheduler.trace().record(nowNanos(), name + " start #" + incarnation);
        outbox = new OutboxSender(this);
        process = processFactory.apply(this);
        outbox.poll();
    }

    /** Kills the node: its store stays, everything else is lost. */
    public void crash() {
        if (!up) {
            return;
        }
        up = false;
        crashes++;
        process = null;
        outbox = null;
        scheduler.trace().record(nowNanos(), name + " crash");
    }

    /** Schedules {@code action} in this incarnation: it is skipped if the node crashes before it is due. */
    public void schedule(Duration delay, String label, Runnable action) {
        int at = incarnation;
        scheduler.after(delay, name + " " + label, () -> {
            if (up && incarnation == at) {
                action.run();
            }
        });
    }

    /** Tells the outbox sender that new events were committed. */
    public void committed() {
        if (up) {
            outbox.poll();
        }
    }

    /** Whether nothing waits to be sent. */
    public boolean outboxIdle() {
        return !up || outbox.idle();
    }

    private void receive(Object packet) {
        if (!up) {
            return; // a down node loses what reaches it; the sender re-sends
        }
        switch ((Packet) packet) {
            case Packet.Delivery d -> {
                Message m = d.message();
                if (process.deliver(m) && up) {
                    network.send(name, m.source(), new Packet.Ack(m.id()), "ack " + m.type() + " #" + m.sequence());
                }
                committed();
            }
            case Packet.Ack a -> outbox.acknowledged(a.messageId());
        }
    }
}
