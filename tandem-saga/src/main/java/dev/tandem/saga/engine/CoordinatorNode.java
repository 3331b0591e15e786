package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator: the {@link Coordinator} over its store, its {@link TimerDriver} (timeouts, retries, deadlines)
 * and a {@link ServiceNode} whose outbox relay sends the commands and whose inbox feeds the participants' replies back
 * on the coordinator's own destination. {@link Builder#start()} first resumes every unfinished transaction this
 * instance owns ({@link Coordinator#recover()}), then starts delivery and the timers, in that order: a reply or a timer
 * before recovery would find no live state to act on.
 *
 * <pre>{@code
 * try (CoordinatorNode orders = CoordinatorNode.builder("orders", store, transport, DefinitionRegistry.of(saga)).start()) {
 *     orders.coordinator().startAsync("order-1", saga.name(), input);
 * }
 * }</pre>
 *
 * <p>The store and the transport stay the caller's: close them after the node.
 */
public final class CoordinatorNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorNode.class);

    private final Coordinator coordinator;
    private final int resumed;
    private ServiceNode messaging;
    private TimerDriver timers;

    private CoordinatorNode(Builder b) {
        coordinator = new Coordinator(b.name, b.store, b.registry, b.clock, b.random, b.ownership, b.stuckListener);
        resumed = coordinator.recover();
        try {
            ServiceNode.Builder node = ServiceNode.builder(b.store, b.name, b.transport).handle(b.name, coordinator.replyHandler());
            b.messaging.accept(node);
            messaging = node.start();
            timers = new TimerDriver(coordinator, b.clock, b.timerWait, b.timerErrors).start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A coordinator named {@code name} (its destination: the definitions' participants reply there) over {@code store},
     * sending and receiving through {@code transport}, running the definitions of {@code registry}.
     */
    public static Builder builder(String name, EventStore store, Transport transport, DefinitionRegistry registry) {
        return new Builder(name, store, transport, registry);
    }

    /** The engine: start transactions, wait for outcomes, find them, and the operators' commands. */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** The coordinator's messaging node: its outbox relay and reply inbox (their figures, parked messages). */
    public ServiceNode messaging() {
        return messaging;
    }

    /** How many unfinished transactions were resumed at start. */
    public int resumed() {
        return resumed;
    }

    /** Stops the timers, then delivery; the store and the transport are the caller's. */
    @Override
    public void close() {
        if (timers != null) {
            timers.close();
        }
        if (messaging != null) {
            messaging.close();
        }
    }

    /** The choices of a {@link CoordinatorNode}; each has a default fit for a single coordinator instance. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final Transport transport;
        private final DefinitionRegistry registry;
        private InstantSource clock = InstantSource.system();
        private RandomGenerator random = new SplittableRandom();
        private Ownership ownership = Ownership.all();
        private StuckListener stuckListener = StuckListener.logging();
        private Duration timerWait = Duration.ofMillis(50);
        private Consumer<Throwable> timerErrors = e -> LOG.warn("firing due timers failed; they are fired again on the next round", e);
        private Consumer<ServiceNode.Builder> messaging = node -> {};

        private Builder(String name, EventStore store, Transport transport, DefinitionRegistry registry) {
            this.name = InvalidInputException.requireText(name, "coordinator.name", 100);
            this.store = InvalidInputException.requireNonNull(store, "store");
            this.transport = InvalidInputException.requireNonNull(transport, "transport");
            this.registry = InvalidInputException.requireNonNull(registry, "registry");
        }

        /** Where every decision's time and every timer's due time come from (default: the system clock). */
        public Builder clock(InstantSource clock) {
            this.clock = InvalidInputException.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of retry jitter (default: a fresh {@link SplittableRandom}). */
        public Builder random(RandomGenerator random) {
            this.random = InvalidInputException.requireNonNull(random, "random");
            return this;
        }

        /** Which transactions this instance drives (default {@link Ownership#all()}; several instances: a {@link LeaseOwnership}). */
        public Builder ownership(Ownership ownership) {
            this.ownership = InvalidInputException.requireNonNull(ownership, "ownership");
            return this;
        }

        /** Told of each transaction that ends STUCK (default: an ERROR log naming it and why). */
        public Builder stuckListener(StuckListener stuckListener) {
            this.stuckListener = InvalidInputException.requireNonNull(stuckListener, "stuckListener");
            return this;
        }

        /**
         * The longest the timer driver sleeps between looks at what is due (default 50 ms; it sleeps less when a timer is
         * due sooner): how late a timer set while it sleeps can fire, and how soon a jump of the clock is noticed.
         */
        public Builder timerWait(Duration wait) {
            InvalidInputException.requireNonNull(wait, "timerWait");
            if (wait.isNegative() || wait.isZero()) {
                throw InvalidInputException.of("timerWait", "must be positive, was " + wait);
            }
            this.timerWait = wait;
            return this;
        }

        /** Told of each failure to fire due timers (default: a WARN log); the timers stay due and are fired again. */
        public Builder timerErrors(Consumer<Throwable> errors) {
            this.timerErrors = InvalidInputException.requireNonNull(errors, "timerErrors");
            return this;
        }

        /**
         * Tunes the messaging node before it starts: relay and inbox options, the inbox records' purge window, or
         * handlers of further destinations this service consumes.
         */
        public Builder messaging(Consumer<ServiceNode.Builder> configure) {
            this.messaging = InvalidInputException.requireNonNull(configure, "messaging");
            return this;
        }

        /** Resumes the unfinished transactions this instance owns, then starts delivery and the timers. */
        public CoordinatorNode start() {
            return new CoordinatorNode(this);
        }
    }
}
