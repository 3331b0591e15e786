package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.Tracing;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.coordinator.LegStatus;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.definition.DefinitionRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CoordinatorNode}: the coordinator, its messaging and its timers put together, over the in-process transport. */
class CoordinatorNodeTest {

    static final String TEN = "{\"amount\":10}";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryEventStore coordinatorStore = new InMemoryEventStore();
    final InMemoryEventStore storeA = new InMemoryEventStore();
    final InMemoryEventStore storeB = new InMemoryEventStore();
    final InProcessTransport transport = new InProcessTransport();
    final Bank bankA = new Bank("bank-a", storeA, 100);
    final Bank bankB = new Bank("bank-b", storeB, 0);
    final List<AutoCloseable> running = new ArrayList<>();
    final List<Throwable> timerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        transport.close();
        coordinatorStore.close();
        storeA.close();
        storeB.close();
    }

    CoordinatorNode startCoordinator() {
        CoordinatorNode node = CoordinatorNode.builder("coordinator", coordinatorStore, transport, DefinitionRegistry.of(Bank.TRANSFER))
                .clock(clock)
                .timerWait(Duration.ofMillis(10))
                .timerErrors(timerErrors::add)
                .start();
        running.add(node);
        return node;
    }

    void startBank(Bank bank) {
        running.add(ServiceNode.builder(bank.store, bank.name, transport).handle(bank.name, bank.participant()).start());
    }

    @Test
    void drivesATransactionThroughItsOwnRelayAndReplyInbox() throws Exception {
        startBank(bankA);
        startBank(bankB);
        CoordinatorNode node = startCoordinator();

        node.coordinator().startAsync("t1", "transfer", TEN).join();
        Transaction done = node.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS);

        assertThat(done.status()).isEqualTo(Status.COMMITTED);
        assertThat(bankA.balance()).isEqualTo(90);
        assertThat(bankB.balance()).isEqualTo(10);
        assertThat(node.resumed()).isZero();
        assertThat(node.messaging().service()).isEqualTo("coordinator");
        assertThat(node.messaging().relay().publishedCount()).isEqualTo(2);
        assertThat(timerErrors).isEmpty();
    }

    @Test
    void resumesWhatAPreviousRunLeftUnfinishedAndFiresItsTimers() throws Exception {
        startBank(bankA); // bank B never answers: the credit waits for it
        CoordinatorNode first = startCoordinator();
        first.coordinator().startAsync("t1", "transfer", TEN).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.coordinator().find("t1").orElseThrow().steps().get(1).action() == LegStatus.IN_FLIGHT);
        assertThat(bankA.balance()).isEqualTo(90);
        first.close();

        CoordinatorNode second = startCoordinator();
        assertThat(second.resumed()).isEqualTo(1);
        CompletableFuture<Transaction> outcome = second.coordinator().whenTerminal("t1");
        clock.advance(Duration.ofSeconds(6)); // past the credit's timeout: the timer driver starts compensating
        await().atMost(Duration.ofSeconds(10)).until(() -> second.coordinator().find("t1").orElseThrow().status() == Status.COMPENSATING);
        startBank(bankB); // the credit, late, then its compensation: the barrier answers both

        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPENSATED);
        assertThat(bankA.balance()).isEqualTo(100);
        assertThat(bankB.balance()).isZero();
    }

    /**
     * An instance of a leadership group on the test's clock, whose lease thread does not look again within a test (a
     * two-hour lease renewed hourly): the test drives every check.
     */
    CoordinatorNode startInstance(String instance) {
        CoordinatorNode node = CoordinatorNode.builder("coordinator", coordinatorStore, transport, DefinitionRegistry.of(Bank.TRANSFER))
                .clock(clock)
                .timerWait(Duration.ofMillis(10))
                .timerErrors(timerErrors::add)
                .leadership(new CoordinatorNode.Leadership(instance, Duration.ofHours(2), Duration.ofHours(1)))
                .start();
        running.add(node);
        return node;
    }

    @Test
    void ofTwoInstancesOneLeadsAndTheOtherTakesOverWhenTheLeaderStopsRenewing() throws Exception {
        startBank(bankA); // bank B is down: the credit waits for it
        CoordinatorNode first = startInstance("one");
        CoordinatorNode second = startInstance("two");
        assertThat(first.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        assertThat(second.role()).isEqualTo(CoordinatorNode.Role.STANDING_BY);
        assertThat(second.messaging()).as("a standing-by instance neither relays nor consumes").isNull();
        assertThat(second.leader()).contains("one");
        assertThatThrownBy(() -> second.coordinator().startAsync("t0", "transfer", TEN).join()).hasCauseInstanceOf(NotOwnerException.class);

        first.coordinator().startAsync("t1", "transfer", TEN).join();
        CompletableFuture<Transaction> waitingOnFirst = first.coordinator().whenTerminal("t1");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.coordinator().find("t1").orElseThrow().steps().get(1).action() == LegStatus.IN_FLIGHT);
        second.checkLeadership();
        assertThat(second.role()).as("the leader's lease has not expired").isEqualTo(CoordinatorNode.Role.STANDING_BY);

        clock.advance(Duration.ofHours(3)); // the leader stalls: its lease expires unrenewed, and so does the credit's timeout
        assertThatThrownBy(() -> first.coordinator().startAsync("t2", "transfer", TEN).join())
                .as("a leader whose lease expired drives nothing, even before it notices").hasCauseInstanceOf(NotOwnerException.class);
        second.checkLeadership();
        assertThat(second.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        assertThat(second.resumed()).isEqualTo(1);
        assertThat(first.leader()).contains("two");
        first.checkLeadership();
        assertThat(first.role()).isEqualTo(CoordinatorNode.Role.STANDING_BY);
        assertThat(first.messaging()).isNull();
        assertThatThrownBy(() -> waitingOnFirst.get(10, TimeUnit.SECONDS)).as("its decision is made elsewhere now")
                .hasCauseInstanceOf(NotOwnerException.class);

        // the new leader rebuilt the timers: it compensates the debit; the late credit and its cancellation reach bank B
        // through the new leader's relay, and its replies reach the new leader
        startBank(bankB);
        Transaction done = second.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(Status.COMPENSATED);
        assertThat(bankA.balance()).isEqualTo(100);
        assertThat(bankB.balance()).isZero();
        assertThat(first.coordinator().find("t2")).as("nothing was started by the stale leader").isEmpty();
        assertThat(timerErrors).isEmpty();
    }

    @Test
    void aReplyThatReachesALeaderWhoseLeaseLapsedIsHandedBackNotParkedAndTheNextLeaderGetsIt() throws Exception {
        startBank(bankA); // bank B is down: the credit waits for it
        CoordinatorNode first = startInstance("one");
        CoordinatorNode second = startInstance("two");
        first.coordinator().startAsync("t1", "transfer", TEN).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.coordinator().find("t1").orElseThrow().steps().get(1).action() == LegStatus.IN_FLIGHT);

        clock.advance(Duration.ofHours(3)); // the leader's lease lapses before it notices
        startBank(bankB); // bank B takes the credit; its reply reaches the lapsed leader's inbox, which owns nothing now
        await().atMost(Duration.ofSeconds(10)).until(() -> bankB.balance() == 10);
        second.checkLeadership();
        first.checkLeadership();
        assertThat(second.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        assertThat(first.role()).isEqualTo(CoordinatorNode.Role.STANDING_BY);

        Transaction done = second.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS);
        assertThat(done.status().isFinal()).isTrue();
        assertThat(bankA.balance() + bankB.balance()).as("conserved, whichever way it ended").isEqualTo(100);
        assertThat(second.messaging().inbox("coordinator").deadLetters().list()).as("nothing parked on the way").isEmpty();
    }

    @Test
    void aLeaderThatClosesGivesItsLeaseUpAndTheNextInstanceLeadsAtOnce() throws Exception {
        startBank(bankA);
        startBank(bankB);
        CoordinatorNode first = startInstance("one");
        CoordinatorNode second = startInstance("two");
        first.close();
        assertThat(first.role()).isEqualTo(CoordinatorNode.Role.CLOSED);
        assertThat(second.leader()).as("given up").isEmpty();
        second.checkLeadership(); // no clock advance: the lease was given up, not left to expire

        assertThat(second.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        second.coordinator().startAsync("t1", "transfer", TEN).join();
        assertThat(second.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
    }

    @Test
    void aStandingByInstanceTakesOverByItselfOnItsOwnLeaseThread() throws Exception {
        startBank(bankA);
        startBank(bankB);
        CoordinatorNode first = startInstance("one");
        CoordinatorNode second = CoordinatorNode.builder("coordinator", coordinatorStore, transport, DefinitionRegistry.of(Bank.TRANSFER))
                .clock(clock)
                .leadership("two", Duration.ofMillis(300))
                .start();
        running.add(second);
        assertThat(second.role()).isEqualTo(CoordinatorNode.Role.STANDING_BY);
        assertThat(second.instance()).contains("two");

        first.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> second.role() == CoordinatorNode.Role.LEADING);
        second.coordinator().startAsync("t1", "transfer", TEN).join();
        assertThat(second.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
    }

    @Test
    void aSingleInstanceLeadsFromStartToClose() {
        CoordinatorNode node = startCoordinator();
        assertThat(node.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        assertThat(node.instance()).isEmpty();
        node.close();
        assertThat(node.role()).isEqualTo(CoordinatorNode.Role.CLOSED);
        assertThat(node.messaging()).isNull();
    }

    @Test
    void aTracedTransactionIsRecordedAsASpanFromItsStartToItsOutcomeBesideItsMessagesSpans() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        Tracing.use(sdk);
        try {
            startBank(bankA);
            startBank(bankB);
            CoordinatorNode node = startCoordinator();
            TraceContext trace = new TraceContext("order-9", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
            Instant started = clock.instant();
            node.coordinator().startAsync("t1", "transfer", TEN, trace).join();
            clock.advance(Duration.ofMillis(250));
            assertThat(node.coordinator().whenTerminal("t1").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
            node.coordinator().startAsync("t2", "transfer", TEN).join(); // untraced: no span of its own
            assertThat(node.coordinator().whenTerminal("t2").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);

            await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream().anyMatch(sp -> sp.getName().startsWith("transaction")));
            List<SpanData> all = spans.getFinishedSpanItems();
            SpanData tx = all.stream().filter(sp -> sp.getName().equals("transaction transfer")).findFirst().orElseThrow();
            assertThat(all).filteredOn(sp -> sp.getName().startsWith("transaction")).hasSize(1);
            assertThat(tx.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(tx.getParentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(tx.getStartEpochNanos()).isEqualTo(started.getEpochSecond() * 1_000_000_000L + started.getNano());
            assertThat(tx.getEndEpochNanos()).isGreaterThan(tx.getStartEpochNanos());
            assertThat(tx.getAttributes().get(Tracing.TRANSACTION_ID)).isEqualTo("t1");
            assertThat(tx.getAttributes().get(Tracing.STATUS)).isEqualTo("COMMITTED");
            assertThat(tx.getAttributes().get(Tracing.DEFINITION_VERSION)).isEqualTo(1L);
            assertThat(tx.getAttributes().get(Tracing.CORRELATION_ID)).isEqualTo("order-9");
            // the participants' handling of its two commands and the coordinator's of their two replies, in the same trace
            assertThat(all).filteredOn(sp -> sp.getName().startsWith("process "))
                    .extracting(SpanData::getName).containsExactlyInAnyOrder("process bank-a", "process bank-b", "process coordinator", "process coordinator");
            assertThat(all).allSatisfy(sp -> assertThat(sp.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
        } finally {
            Tracing.useGlobal();
            sdk.close();
        }
    }

    @Test
    void refusesBadChoicesBeforeStartingAnything() {
        DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER);
        assertThatThrownBy(() -> CoordinatorNode.builder(" ", coordinatorStore, transport, registry))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("coordinator.name");
        assertThatThrownBy(() -> CoordinatorNode.builder("c", coordinatorStore, transport, registry).timerWait(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("timerWait");
        assertThatThrownBy(() -> CoordinatorNode.builder("c", null, transport, registry))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> CoordinatorNode.builder("c", coordinatorStore, transport, registry).leadership("one", Duration.ofMillis(50)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("leadership.ttl");
        assertThatThrownBy(() -> new CoordinatorNode.Leadership("one", Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("leadership.renewEvery");
        assertThatThrownBy(() -> new CoordinatorNode.Leadership(" ", Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("leadership.instance");
        assertThatThrownBy(() -> CoordinatorNode.builder("c", coordinatorStore, transport, registry).ownership(Ownership.all())
                .leadership("one", Duration.ofSeconds(5)).start())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ownership");
    }
}
