package dev.tandem.messaging.runtime;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.outbox.OutboxRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A service node's messaging figures as Micrometer meters, tagged {@code service}: its outbox relay's
 * ({@code tandem.outbox.published}, {@code .retries}, {@code .parked} counters and the {@code tandem.outbox.lag}
 * gauge, store positions not yet published) and each inbox consumer's, tagged {@code consumer}
 * ({@code tandem.inbox.handled}, {@code .duplicates}, {@code .retries}, {@code .parked}). The meters read counters
 * the relay and consumers keep anyway, so binding costs nothing on the message path.
 *
 * <pre>{@code
 * new ServiceNodeMetrics(node).bindTo(registry);
 * }</pre>
 */
public final class ServiceNodeMetrics implements MeterBinder {

    private final String service;
    private final Supplier<ServiceNode> current;
    private final List<String> consumers; // null: the node's own, read when bound

    public ServiceNodeMetrics(ServiceNode node) {
        InvalidInputException.requireNonNull(node, "node");
        this.service = node.service();
        this.current = () -> node;
        this.consumers = null;
    }

    private ServiceNodeMetrics(String service, Supplier<ServiceNode> current, List<String> consumers) {
        this.service = InvalidInputException.requireText(service, "service", 200);
        this.current = InvalidInputException.requireNonNull(current, "current");
        this.consumers = List.copyOf(InvalidInputException.requireNonNull(consumers, "consumers"));
    }

    /**
     * The meters of whichever node of {@code service} {@code current} supplies at each reading (null while there is
     * none: every figure reads 0), with inbox meters for {@code consumers}: for a service that starts a new node now and
     * then, as a coordinator instance does each time it takes the lead. Its counters start again from 0 with each new
     * node, as after a restart (Prometheus' {@code rate} and {@code increase} treat that as a counter reset).
     */
    public static ServiceNodeMetrics following(String service, Supplier<ServiceNode> current, List<String> consumers) {
        return new ServiceNodeMetrics(service, current, consumers);
    }

    /**
     * Every meter reads through this binder (the lag gauge holds it strongly, so it lives as long as the registry keeps
     * the meters, though Micrometer holds a function meter's object weakly).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        InvalidInputException.requireNonNull(registry, "registry");
        Gauge.builder("tandem.outbox.lag", this, m -> m.relay(OutboxRelay::lag)).strongReference(true)
                .description("store positions written but not yet published").baseUnit("events").tag("service", service).register(registry);
        counter(registry, "tandem.outbox.published", "messages handed to the transport", m -> m.relay(OutboxRelay::publishedCount), "service", service);
        counter(registry, "tandem.outbox.retries", "publishes tried again after a transient failure", m -> m.relay(OutboxRelay::retryCount), "service", service);
        counter(registry, "tandem.outbox.parked", "messages the relay parked", m -> m.relay(OutboxRelay::parkedCount), "service", service);
        List<String> names = consumers != null ? consumers : List.copyOf(current.get().inboxes().keySet());
        for (String d : names) {
            String[] tags = {"service", service, "consumer", service + "/" + d}; // a node's consumer of a destination
            counter(registry, "tandem.inbox.handled", "messages handled and committed", m -> m.inbox(d, InboxConsumer::handledCount), tags);
            counter(registry, "tandem.inbox.duplicates", "redeliveries recognised and not applied again", m -> m.inbox(d, InboxConsumer::duplicateCount), tags);
            counter(registry, "tandem.inbox.retries", "handling attempts scheduled again after a transient failure", m -> m.inbox(d, InboxConsumer::retryCount), tags);
            counter(registry, "tandem.inbox.parked", "messages the consumer parked", m -> m.inbox(d, InboxConsumer::parkedCount), tags);
        }
    }

    private double relay(ToDoubleFunction<OutboxRelay> figure) {
        ServiceNode node = current.get();
        return node == null ? 0 : figure.applyAsDouble(node.relay());
    }

    private double inbox(String destination, ToDoubleFunction<InboxConsumer> figure) {
        ServiceNode node = current.get();
        InboxConsumer inbox = node == null ? null : node.inboxes().get(destination);
        return inbox == null ? 0 : figure.applyAsDouble(inbox);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ServiceNodeMetrics> count, String... tags) {
        FunctionCounter.builder(name, this, count).description(description).tags(tags).register(registry);
    }
}
