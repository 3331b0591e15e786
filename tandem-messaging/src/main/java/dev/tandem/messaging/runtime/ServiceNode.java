package dev.tandem.messaging.runtime;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.inbox.InboxPurger;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messaging side of one service: an outbox relay publishing the service's routed events, and one
 * inbox consumer per destination the service handles, all on one store and one transport.
 *
 * <pre>{@code
 * ServiceNode node = ServiceNode.builder(store, "bank-b", transport)
 *         .handle("bank-b", handler)          // consume destination "bank-b" as group "bank-b"
 *         .start();
 * }</pre>
 *
 * <p>Each inbox consumer is named {@code <service>/<destination>} and joins the transport's group
 * {@code <service>}; replies of redelivered requests are re-sent through the same transport. The
 * node owns the relay, consumers and purger it starts; the store and transport stay the caller's.
 */
public final class ServiceNode implements AutoCloseable {

    private final String service;
    private final EventStore store;
    private final OutboxRelay relay;
    private final Map<String, InboxConsumer> inboxes;
    private final List<Consumption> consumptions;
    private final InboxPurger purger;
    private boolean closed;

    private ServiceNode(String service, EventStore store, OutboxRelay relay, Map<String, InboxConsumer> inboxes, List<Consumption> consumptions,
            InboxPurger purger) {
        this.service = service;
        this.store = store;
        this.relay = relay;
        this.inboxes = inboxes;
        this.consumptions = consumptions;
        this.purger = purger;
    }

    public static Builder builder(EventStore store, String service, Transport transport) {
        return new Builder(store, service, transport);
    }

    public String service() {
        return service;
    }

    /** The service's store (the caller's: the node does not close it). */
    public EventStore store() {
        return store;
    }

    public OutboxRelay relay() {
        return relay;
    }

    /** The inbox consumer of {@code destination}. */
    public InboxConsumer inbox(String destination) {
        InboxConsumer c = inboxes.get(destination);
        if (c == null) {
            throw InvalidInputException.of("destination", service + " does not consume '" + destination + "'; it consumes " + inboxes.keySet());
        }
        return c;
    }

    /** Every inbox consumer of this node, by the destination it consumes. */
    public Map<String, InboxConsumer> inboxes() {
        return inboxes; // immutable
    }

    /** Stops consuming, then relaying, then purging. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumptions.forEach(Consumption::close);
        relay.close();
        if (purger != null) {
            purger.close();
        }
    }

    /** Collects the parts of a node; {@link #start()} validates and starts them. */
    public static final class Builder {
        private final EventStore store;
        private final String service;
        private final Transport transport;
        private final Map<String, MessageHandler> handlers = new LinkedHashMap<>();
        private RelayOptions relayOptions;
        private InboxOptions inboxOptions = InboxOptions.defaults();
        private InstantSource clock;
        private Duration window;
        private Duration purgeInterval;

        private Builder(EventStore store, String service, Transport transport) {
            this.store = InvalidInputException.requireNonNull(store, "store");
            this.service = InvalidInputException.requireText(service, "service", 100);
            this.transport = InvalidInputException.requireNonNull(transport, "transport");
            this.relayOptions = RelayOptions.named(service);
        }

        /** Consumes {@code destination} with {@code handler}. */
        public Builder handle(String destination, MessageHandler handler) {
            InvalidInputException.requireText(destination, "destination", 200);
            InvalidInputException.requireNonNull(handler, "handler");
            if (handlers.putIfAbsent(destination, handler) != null) {
                throw InvalidInputException.of("destination", "'" + destination + "' already has a handler in " + service);
            }
            return this;
        }

        public Builder relay(RelayOptions options) {
            this.relayOptions = InvalidInputException.requireNonNull(options, "relayOptions");
            return this;
        }

        public Builder inbox(InboxOptions options) {
            this.inboxOptions = InvalidInputException.requireNonNull(options, "inboxOptions");
            return this;
        }

        /** Keeps inbox records for {@code window} (by {@code clock}) and purges older ones every {@code interval}. */
        public Builder deduplicationWindow(InstantSource clock, Duration window, Duration interval) {
            this.clock = InvalidInputException.requireNonNull(clock, "clock");
            this.window = InvalidInputException.requireNonNull(window, "window");
            this.purgeInterval = InvalidInputException.requireNonNull(interval, "interval");
            return this;
        }

        public ServiceNode start() {
            InboxPurger purger = window == null ? null : new InboxPurger(store, clock, window);
            OutboxRelay relay = new OutboxRelay(store, service, transport, relayOptions);
            Map<String, InboxConsumer> inboxes = new LinkedHashMap<>();
            List<Consumption> consumptions = new ArrayList<>();
            InboxOptions options = inboxOptions.replies() == null ? inboxOptions.withReplies(transport, service) : inboxOptions;
            try {
                handlers.forEach((destination, handler) -> {
                    InboxConsumer inbox = new InboxConsumer(store, service + "/" + destination, handler, options);
                    inboxes.put(destination, inbox);
                    consumptions.add(transport.consume(destination, service, inbox));
                });
                relay.start();
                if (purger != null) {
                    purger.start(purgeInterval);
                }
            } catch (RuntimeException e) {
                consumptions.forEach(Consumption::close);
                relay.close();
                if (purger != null) {
                    purger.close();
                }
                throw e;
            }
            return new ServiceNode(service, store, relay, Map.copyOf(inboxes), List.copyOf(consumptions), purger);
        }
    }
}
