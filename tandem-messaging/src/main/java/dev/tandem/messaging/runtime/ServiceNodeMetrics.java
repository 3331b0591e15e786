package dev.tandem.messaging.runtime;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.outbox.OutboxRelay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
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

    private final ServiceNode node;

    public ServiceNodeMetrics(ServiceNode node) {
        this.node = InvalidInputException.requireNonNull(node, "node");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        InvalidInputException.requireNonNull(registry, "registry");
        String service = node.service();
        OutboxRelay relay = node.relay();
        counter(registry, "tandem.outbox.published", "messages handed to the transport", relay, OutboxRelay::publishedCount, "service", service);
        counter(registry, "tandem.outbox.retries", "publishes tried again after a transient failure", relay, OutboxRelay::retryCount, "service", service);
        counter(registry, "tandem.outbox.parked", "messages the relay parked", relay, OutboxRelay::parkedCount, "service", service);
        Gauge.builder("tandem.outbox.lag", relay, OutboxRelay::lag).description("store positions written but not yet published")
                .baseUnit("events").tag("service", service).register(registry);
        for (InboxConsumer inbox : node.inboxes().values()) {
            String[] tags = {"service", service, "consumer", inbox.consumer()};
            counter(registry, "tandem.inbox.handled", "messages handled and committed", inbox, InboxConsumer::handledCount, tags);
            counter(registry, "tandem.inbox.duplicates", "redeliveries recognised and not applied again", inbox, InboxConsumer::duplicateCount, tags);
            counter(registry, "tandem.inbox.retries", "handling attempts scheduled again after a transient failure", inbox, InboxConsumer::retryCount, tags);
            counter(registry, "tandem.inbox.parked", "messages the consumer parked", inbox, InboxConsumer::parkedCount, tags);
        }
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source, ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, source, count).description(description).tags(tags).register(registry);
    }
}
