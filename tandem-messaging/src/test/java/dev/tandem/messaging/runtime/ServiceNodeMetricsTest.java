package dev.tandem.messaging.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.NonTransientException;
import dev.tandem.core.TransientException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.inprocess.InProcessTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's messaging figures, as Micrometer reads them, after real traffic: handled, duplicates, retries, parked, lag. */
class ServiceNodeMetricsTest {

    private final EventStore storeA = new InMemoryEventStore();
    private final EventStore storeB = new InMemoryEventStore();
    private final InProcessTransport transport = new InProcessTransport();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        transport.close();
        storeA.close();
        storeB.close();
    }

    private double count(String name, String service, String consumer) {
        var search = registry.find(name).tag("service", service);
        if (consumer != null) {
            search = search.tag("consumer", consumer);
        }
        return search.functionCounter().count();
    }

    @Test
    void countsWhatTheRelayAndTheInboxDid() {
        AtomicBoolean flakyFailed = new AtomicBoolean();
        MessageHandler bankB = m -> switch (m.type()) {
            case "Poison" -> throw new NonTransientException("cannot handle " + m.id());
            case "Flaky" -> {
                if (flakyFailed.compareAndSet(false, true)) {
                    throw new TransientException("briefly unavailable");
                }
                yield Commit.builder().append(StreamId.of("flaky"), ExpectedVersion.any(), List.of(NewEvent.json("Handled", Map.of())));
            }
            default -> Commit.builder().append(StreamId.of("account-b"), ExpectedVersion.any(), List.of(NewEvent.json("Credited", Map.of())));
        };
        try (ServiceNode a = ServiceNode.builder(storeA, "bank-a", transport).start();
                ServiceNode b = ServiceNode.builder(storeB, "bank-b", transport).handle("bank-b", bankB).start()) {
            new ServiceNodeMetrics(a).bindTo(registry);
            new ServiceNodeMetrics(b).bindTo(registry);
            for (int i = 0; i < 10; i++) {
                storeA.append(StreamId.of("transfer-" + i), ExpectedVersion.noStream(),
                        List.of(NewEvent.json("Requested", Map.of()).withRoute(Route.to("bank-b", Integer.toString(i)))));
            }
            storeA.append(StreamId.of("poison"), ExpectedVersion.noStream(), List.of(NewEvent.json("Poison", Map.of()).withRoute(Route.to("bank-b", "p"))));
            storeA.append(StreamId.of("flaky"), ExpectedVersion.noStream(), List.of(NewEvent.json("Flaky", Map.of()).withRoute(Route.to("bank-b", "f"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> count("tandem.inbox.handled", "bank-b", "bank-b/bank-b") == 11
                    && count("tandem.inbox.parked", "bank-b", "bank-b/bank-b") == 1);

            RecordedEvent first = storeA.readStream(StreamId.of("transfer-0"), 1, ReadDirection.FORWARD, 1).getFirst();
            transport.publish(List.of(Message.fromOutbox("bank-a", first))).join(); // delivered again
            await().atMost(Duration.ofSeconds(30)).until(() -> count("tandem.inbox.duplicates", "bank-b", "bank-b/bank-b") == 1);

            assertThat(count("tandem.inbox.handled", "bank-b", "bank-b/bank-b")).isEqualTo(11); // not applied again
            assertThat(count("tandem.inbox.retries", "bank-b", "bank-b/bank-b")).isEqualTo(1);
            assertThat(storeB.readStream(StreamId.of("account-b"), 1, ReadDirection.FORWARD, 100)).hasSize(10);
            assertThat(count("tandem.outbox.published", "bank-a", null)).isEqualTo(12);
            assertThat(count("tandem.outbox.parked", "bank-a", null)).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.find("tandem.outbox.lag").tag("service", "bank-a").gauge().value() == 0);
            assertThat(registry.find("tandem.inbox.handled").tag("service", "bank-a").functionCounters()).as("bank-a consumes nothing").isEmpty();
        }
    }

    @Test
    void followsWhicheverNodeTheServiceRunsNowAndReadsZeroWithoutOne() {
        java.util.concurrent.atomic.AtomicReference<ServiceNode> current = new java.util.concurrent.atomic.AtomicReference<>();
        ServiceNodeMetrics.following("bank-b", current::get, List.of("bank-b")).bindTo(registry);
        assertThat(count("tandem.inbox.handled", "bank-b", "bank-b/bank-b")).isZero();
        assertThat(count("tandem.outbox.published", "bank-b", null)).isZero();
        MessageHandler credit = m -> Commit.builder().append(StreamId.of("account-b"), ExpectedVersion.any(), List.of(NewEvent.json("Credited", Map.of())));
        ServiceNode a = ServiceNode.builder(storeA, "bank-a", transport).start(); // relays bank A's requests
        try {
            for (int round = 0; round < 2; round++) {
                try (ServiceNode b = ServiceNode.builder(storeB, "bank-b", transport).handle("bank-b", credit).start()) {
                    current.set(b);
                    for (int i = 0; i < 3; i++) {
                        storeA.append(StreamId.of("transfer-" + round + "-" + i), ExpectedVersion.noStream(),
                                List.of(NewEvent.json("Requested", Map.of()).withRoute(Route.to("bank-b", Integer.toString(i)))));
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> count("tandem.inbox.handled", "bank-b", "bank-b/bank-b") == 3);
                }
                current.set(null);
                assertThat(count("tandem.inbox.handled", "bank-b", "bank-b/bank-b")).as("no node now").isZero();
            }
        } finally {
            a.close();
        }
        assertThat(storeB.readStream(StreamId.of("account-b"), 1, ReadDirection.FORWARD, 100)).as("each node counted its own").hasSize(6);
    }
}
