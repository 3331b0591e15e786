package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
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

    /** What an instance is doing now. */
    public enum Role {
        /** It drives the transactions: recovered them, relays their commands, consumes their replies, fires their timers. */
        LEADING,
        /** Another instance leads (or none can be reached yet); this one renews nothing and waits to take over. */
        STANDING_BY,
        /** Closed. */
        CLOSED
    }

    private final Builder config;
    private final Coordinator coordinator;
    private final LeaseOwnership lease; // null for a single instance
    private final Thread leaseThread;
    private volatile Role role = Role.STANDING_BY;
    private volatile int resumed;
    private volatile ServiceNode messaging; // written under this node's lock, read without it (metrics, health)
    private TimerDriver timers;

    private CoordinatorNode(Builder b) {
        config = b;
        lease = b.leadership == null ? null
                : new LeaseOwnership(b.store, b.name, b.leadership.instance(), 1, b.leadership.ttl(), b.clock);
        coordinator = new Coordinator(b.name, b.store, b.registry, b.clock, b.random, lease == null ? b.ownership : lease, b.stuckListener);
        if (lease == null) {
            lead();
            if (role != Role.LEADING) {
                throw new IllegalStateException("coordinator " + b.name + " failed to start; see the log");
            }
            leaseThread = null;
        } else {
            checkLeadership(); // a sole instance leads when start() returns
            leaseThread = Thread.ofPlatform().daemon().name("tandem-saga-lease-" + b.name).start(this::renewLoop);
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

    /**
     * The coordinator's messaging node: its outbox relay and reply inbox (their figures, parked messages); null while
     * this instance stands by, and a new node each time it takes the lead.
     */
    public ServiceNode messaging() {
        return messaging;
    }

    /** How many unfinished transactions were resumed when this instance last took the lead (at start for a single instance). */
    public int resumed() {
        return resumed;
    }

    /** Whether this instance leads, stands by, or is closed. A single instance leads from start to close. */
    public Role role() {
        return role;
    }

    /**
     * The instance's name in its leadership group ({@link Builder#leadership}), or empty for a single instance.
     */
    public Optional<String> instance() {
        return config.leadership == null ? Optional.empty() : Optional.of(config.leadership.instance());
    }

    /**
     * The instance that leads now, as the store has it (this one's name when it leads), or empty when none does (the
     * lease expired and no instance has taken it yet) or for a single instance (it leads: see {@link #role()}).
     */
    public Optional<String> leader() {
        return lease == null ? Optional.empty() : lease.holder(0);
    }

    /**
     * Renews or takes the leadership lease, and starts or stops driving transactions accordingly; run by the node's
     * lease thread every {@link Leadership#renewEvery()}. Does nothing for a single instance or once closed.
     */
    synchronized void checkLeadership() {
        if (lease == null || role == Role.CLOSED) {
            return;
        }
        try {
            lease.acquire();
        } catch (RuntimeException e) { // the store is unreachable: the lease still counts until it expires by the clock
            LOG.warn("coordinator {} instance {} could not renew its leadership lease", config.name, config.leadership.instance(), e);
        }
        boolean holds = !lease.leases().isEmpty();
        if (holds && role == Role.STANDING_BY) {
            LOG.info("coordinator {} instance {} takes the lead (lease token {})", config.name, config.leadership.instance(),
                    lease.leases().getFirst().token());
            lead();
        } else if (!holds && role == Role.LEADING) {
            LOG.warn("coordinator {} instance {} lost its leadership lease and stands by: another instance drives the transactions",
                    config.name, config.leadership.instance());
            standBy();
        }
    }

    private void renewLoop() {
        long pause = config.leadership.renewEvery().toNanos();
        while (role != Role.CLOSED) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, pause);
            if (Thread.interrupted()) {
                return;
            }
            try {
                checkLeadership();
            } catch (RuntimeException e) {
                LOG.warn("coordinator {} instance {}: the leadership check failed; trying again", config.name, config.leadership.instance(), e);
            }
        }
    }

    /** Resumes the transactions, then starts delivery and the timers; on failure stops what started and stays standing by. */
    private void lead() {
        try {
            resumed = coordinator.recover();
            ServiceNode.Builder node = ServiceNode.builder(config.store, config.name, config.transport).handle(config.name, coordinator.replyHandler());
            config.messaging.accept(node);
            messaging = node.start();
            timers = new TimerDriver(coordinator, config.clock, config.timerWait, config.timerErrors).start();
            role = Role.LEADING;
        } catch (RuntimeException e) {
            stopDriving();
            coordinator.standDown();
            if (lease == null) {
                throw e;
            }
            LOG.warn("coordinator {} instance {} could not take the lead; it tries again at its next lease check", config.name,
                    config.leadership.instance(), e);
        }
    }

    private void standBy() {
        stopDriving();
        coordinator.standDown();
        role = Role.STANDING_BY;
    }

    private void stopDriving() {
        if (timers != null) {
            timers.close();
            timers = null;
        }
        if (messaging != null) {
            messaging.close();
            messaging = null;
        }
    }

    /**
     * Stops the timers, then delivery; a leading instance of a group then gives its lease up, so a standing-by one takes
     * over at its next check instead of when the lease expires. The store and the transport are the caller's.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (role == Role.CLOSED) {
                return;
            }
            boolean leading = role == Role.LEADING;
            role = Role.CLOSED;
            stopDriving();
            if (lease != null && leading) {
                try {
                    lease.releaseAll();
                } catch (RuntimeException e) {
                    LOG.warn("coordinator {} instance {} could not give up its lease; another instance takes over when it expires",
                            config.name, config.leadership.instance(), e);
                }
            }
        }
        if (leaseThread != null) {
            leaseThread.interrupt();
        }
    }

    /**
     * Leadership among instances of one coordinator on one shared store: a lease in the store with a fencing token.
     *
     * @param instance this instance's name in the group (unique among the instances)
     * @param ttl how long a lease lasts unless renewed: how long the instances go without a leader after the leader dies
     * @param renewEvery how often the leader renews (and a standing-by instance tries to take the lease); below {@code ttl}
     */
    public record Leadership(String instance, Duration ttl, Duration renewEvery) {

        /** Instance {@code instance} with a lease lasting {@code ttl}, renewed every third of it (the default). */
        public static Leadership of(String instance, Duration ttl) {
            InvalidInputException.requireNonNull(ttl, "leadership.ttl");
            return new Leadership(instance, ttl, ttl.dividedBy(3));
        }

        public Leadership {
            InvalidInputException.requireText(instance, "leadership.instance", 100);
            InvalidInputException.requireNonNull(ttl, "leadership.ttl");
            InvalidInputException.requireNonNull(renewEvery, "leadership.renewEvery");
            if (ttl.compareTo(Duration.ofMillis(100)) < 0) {
                throw InvalidInputException.of("leadership.ttl", "must be at least 100 ms, was " + ttl);
            }
            if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(ttl) >= 0) {
                throw InvalidInputException.of("leadership.renewEvery", "must be positive and shorter than the ttl " + ttl + ", was " + renewEvery);
            }
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
        private Leadership leadership;
        private boolean ownershipChosen;

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

        /**
         * Which transactions this instance drives (default {@link Ownership#all()}). For several instances on one store,
         * {@link #leadership} does all it takes; an ownership of your own leaves renewing it and recovering what it gains to you.
         */
        public Builder ownership(Ownership ownership) {
            this.ownership = InvalidInputException.requireNonNull(ownership, "ownership");
            this.ownershipChosen = true;
            return this;
        }

        /**
         * Runs this instance as one of several of the same coordinator on one shared store (PostgreSQL): one leads at a
         * time under a lease in the store, renewed every third of {@code ttl}; the others stand by and the first to find
         * it expired or given up takes over, recovering every unfinished transaction. A paused leader that wakes after
         * losing the lease cannot append: the new leader's claims and the lease fence it (see {@link LeaseOwnership}).
         * The group is the coordinator's name; {@code instance} names this member.
         */
        public Builder leadership(String instance, Duration ttl) {
            return leadership(Leadership.of(instance, ttl));
        }

        /** As {@link #leadership(String, Duration)}, with the renewal period chosen too. */
        public Builder leadership(Leadership leadership) {
            this.leadership = InvalidInputException.requireNonNull(leadership, "leadership");
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

        /**
         * Resumes the unfinished transactions this instance owns, then starts delivery and the timers; with
         * {@link #leadership}, does so only once it holds the lease (at once when no other instance does).
         */
        public CoordinatorNode start() {
            if (leadership != null && ownershipChosen) {
                throw InvalidInputException.of("ownership", "a node with leadership owns what its lease covers; choose one of ownership and leadership");
            }
            return new CoordinatorNode(this);
        }
    }
}
