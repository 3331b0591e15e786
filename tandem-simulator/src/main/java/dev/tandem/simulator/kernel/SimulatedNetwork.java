package dev.tandem.simulator.kernel;

import dev.tandem.core.InvalidInputException;
import dev.tandem.simulator.FaultPlan;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Carries packets between named endpoints through the {@link Scheduler}, losing, duplicating, delaying
 * and reordering them as the current {@link FaultPlan} says; {@link #heal()} makes it reliable and prompt.
 */
public final class SimulatedNetwork {

    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Map<String, Consumer<Object>> endpoints = new HashMap<>();
    private FaultPlan faults;
    private long sent;
    private long dropped;
    private long duplicated;

    public SimulatedNetwork(Scheduler scheduler, FaultPlan faults) {
        this.scheduler = InvalidInputException.requireNonNull(scheduler, "scheduler");
        this.random = scheduler.random();
        this.faults = InvalidInputException.requireNonNull(faults, "faults");
    }

    /** Registers where packets addressed to {@code name} are handed over. */
    public void register(String name, Consumer<Object> receiver) {
        InvalidInputException.requireText(name, "endpoint", 200);
        InvalidInputException.requireNonNull(receiver, "receiver");
        if (endpoints.putIfAbsent(name, receiver) != null) {
            throw InvalidInputException.of("endpoint", name + " is already registered");
        }
    }

    /** Sends {@code packet} from {@code from} to {@code to}; it may arrive late, twice, out of order or never. */
    public void send(String from, String to, Object packet, String description) {
        Consumer<Object> receiver = endpoints.get(to);
        if (receiver == null) {
            throw InvalidInputException.of("destination", "no simulated node is called '" + to + "' (known: " + endpoints.keySet() + ")");
        }
        sent++;
        if (chance(faults.drop())) {
            dropped++;
            scheduler.trace().record(scheduler.clock().nanos(), "net drop " + from + "->" + to + " " + description);
            return;
        }
        int copies = 1;
        if (chance(faults.duplicate())) {
            copies = 2;
            duplicated++;
        }
        for (int i = 0; i < copies; i++) {
            scheduler.after(latency(), "net deliver " + from + "->" + to + " " + description, () -> receiver.accept(packet));
        }
    }

    private Duration latency() {
        long min = faults.minLatency().toNanos();
        long max = faults.maxLatency().toNanos();
        long nanos = max > min ? min + random.nextLong(max - min + 1) : min;
        if (chance(faults.reorder())) {
            nanos += max + random.nextLong(Math.max(1, 4 * max + 1)); // held back: later messages overtake it
        }
        return Duration.ofNanos(nanos);
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    /** From now on: no loss, no duplicates, no reordering, latency within the healed plan's bounds. */
    public void heal() {
        this.faults = FaultPlan.none();
    }

    public FaultPlan faults() {
        return faults;
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    public long duplicated() {
        return duplicated;
    }
}
