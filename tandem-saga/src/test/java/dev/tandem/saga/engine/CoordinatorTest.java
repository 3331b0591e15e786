package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.inbox.CommitAwareHandler;
import dev.tandem.saga.coordinator.LegStatus;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionRejectedException;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.participant.ActionState;
import dev.tandem.saga.protocol.BranchCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CoordinatorTest {

    static final String TEN = "{\"amount\":10}";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryEventStore coordinatorStore = new InMemoryEventStore();
    final InMemoryEventStore storeA = new InMemoryEventStore();
    final InMemoryEventStore storeB = new InMemoryEventStore();
    final DefinitionRegistry registry = DefinitionRegistry.of(Bank.TRANSFER, Bank.HOLD);
    Bank bankA;
    Bank bankB;
    Coordinator subject;
    DirectNetwork network;
    final List<Transaction> stuckAlerts = new CopyOnWriteArrayList<>();
    StuckListener stuckListener = stuckAlerts::add;

    @BeforeEach
    void setUp() {
        bankA = new Bank("bank-a", storeA, 100);
        bankB = new Bank("bank-b", storeB, 0);
        subject = newCoordinator();
        network = new DirectNetwork()
                .service("coordinator", coordinatorStore, subject.replyHandler())
                .service("bank-a", storeA, bankA.participant())
                .service("bank-b", storeB, bankB.participant());
    }

    @AfterEach
    void tearDown() {
        coordinatorStore.close();
        storeA.close();
        storeB.close();
    }

    Coordinator newCoordinator() {
        return new Coordinator("coordinator", coordinatorStore, registry, clock, new SplittableRandom(7), Ownership.all(), tx -> stuckListener.stuck(tx));
    }

    Status status(String id) {
        return subject.find(id).orElseThrow().status();
    }

    void advanceAndFire(Duration d) {
        clock.advance(d);
        subject.fireDueTimers();
        network.runUntilQuiet();
    }

    @Nested
    @DisplayName("a saga")
    class Saga {

        @Test
        void commitsAndMovesTheMoneyOnce() {
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(bankA.balance()).isEqualTo(90);
            assertThat(bankB.balance()).isEqualTo(10);
            assertThat(stuckAlerts).isEmpty();
        }

        @Test
        void isCountedOnceDurableWithItsDuration() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CoordinatorMetrics(subject).bindTo(registry);
            network.duplicateEverything = true;
            subject.start("t1", "transfer", TEN);
            clock.advance(Duration.ofMillis(250));
            network.runUntilQuiet();
            bankB.limit = 5;
            subject.start("t2", "transfer", TEN);
            clock.advance(Duration.ofMillis(100));
            network.runUntilQuiet();

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(status("t2")).isEqualTo(Status.COMPENSATED);
            assertThat(registry.get("tandem.transactions.started").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("tandem.transactions.finished").tag("status", "COMMITTED").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.finished").tag("status", "COMPENSATED").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.stuck").functionCounter().count()).isZero();
            assertThat(registry.get("tandem.transactions.duration").functionTimer().count()).isEqualTo(2);
            assertThat(registry.get("tandem.transactions.duration").functionTimer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("250 ms and 100 ms from start to end, by the coordinator's clock").isEqualTo(350);
            assertThat(registry.get("tandem.transactions.scheduled").gauge().value()).isZero();
        }

        @Test
        void staysCorrectWhenEveryMessageIsDeliveredTwice() {
            network.duplicateEverything = true;

            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(bankA.balance() + bankB.balance()).isEqualTo(100);
            assertThat(bankB.balance()).isEqualTo(10);
            // neither side records the messages whose handling writes (the barrier and the transaction stream de-duplicate)
            assertThat(subject.find("t1").orElseThrow().timeline()).as("each reply taken in once")
                    .filteredOn(e -> e.type().endsWith("StepSucceeded")).hasSize(2);
            List<RecordedEvent> replies = new ArrayList<>(storeA.readAll(0, 1_000));
            replies.addAll(storeB.readAll(0, 1_000));
            assertThat(replies).filteredOn(e -> e.route() != null).as("each command answered twice, from the barrier the second time")
                    .hasSize(4);
            assertThat(coordinatorStore.readAll(0, 1_000)).filteredOn(e -> e.route() != null).as("commands").hasSize(2)
                    .noneMatch(e -> storeA.findInbox("bank-a", e.id()).isPresent() || storeB.findInbox("bank-b", e.id()).isPresent());
        }

        @Test
        void compensatesTheDebitWhenTheCreditFailsForABusinessReason() {
            bankB.limit = 5;

            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();

            TransactionView view = subject.find("t1").orElseThrow();
            assertThat(view.status()).isEqualTo(Status.COMPENSATED);
            assertThat(view.reason()).contains("over the limit");
            assertThat(view.steps()).extracting(TransactionView.StepView::compensation)
                    .containsExactly(LegStatus.SUCCEEDED, LegStatus.IDLE);
            assertThat(bankA.balance()).isEqualTo(100);
            assertThat(bankB.balance()).isZero();
        }

        @Test
        void refusesToStartTheSameIdWithOtherInputAndReturnsTheExistingOneForTheSame() {
            subject.start("t1", "transfer", TEN);

            assertThat(subject.start("t1", "transfer", TEN).status()).isEqualTo(Status.RUNNING);
            assertThatThrownBy(() -> subject.start("t1", "transfer", "{\"amount\":11}"))
                    .isInstanceOf(TransactionRejectedException.class).hasMessageContaining("t1");
            Coordinator knowingNothing = newCoordinator(); // takes t1 to be new, so its first append conflicts and it reads
            assertThat(knowingNothing.start("t1", "transfer", TEN).status()).isEqualTo(Status.RUNNING);
            assertThatThrownBy(() -> newCoordinator().start("t1", "transfer", "{\"amount\":11}"))
                    .isInstanceOf(TransactionRejectedException.class).hasMessageContaining("t1");
            assertThat(subject.find("t1").orElseThrow().timeline()).hasSize(2);
        }

        @Test
        void aTimedOutStepIsCompensatedAndItsLateActionIsRefused() {
            network.drop = m -> m.destination().equals("bank-b") && m.type().equals(BranchCommand.TYPE)
                    && command(m).operation().equals("credit");
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();
            assertThat(status("t1")).isEqualTo(Status.RUNNING);

            advanceAndFire(Duration.ofSeconds(5));

            assertThat(status("t1")).isEqualTo(Status.COMPENSATED);
            assertThat(bankB.participant().barrierState("t1", 1).nullCompensation()).isTrue();
            network.drop = m -> false;
            network.redeliver(network.dropped.getFirst());
            assertThat(bankB.participant().barrierState("t1", 1).action()).isEqualTo(ActionState.REFUSED);
            assertThat(bankA.balance()).isEqualTo(100);
            assertThat(bankB.balance()).isZero();
        }
    }

    @Nested
    @DisplayName("a stuck transaction")
    class Stuck {

        @BeforeEach
        void breakRefundsAndFailTheCredit() {
            bankA.refundsBroken = true;
            bankB.limit = 0;
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();
            advanceAndFire(Duration.ofSeconds(1));
            advanceAndFire(Duration.ofSeconds(1));
        }

        @Test
        void isVisibleWithItsReasonAndHasNoLiveTimer() {
            TransactionView view = subject.find("t1").orElseThrow();

            assertThat(view.status()).isEqualTo(Status.STUCK);
            assertThat(view.reason()).contains("refunds are down");
            assertThat(subject.nextDueAt()).isEmpty();
            assertThat(bankA.balance()).isEqualTo(90);
        }

        @Test
        void settlesForThoseWaitingForAnOutcomeButIsNotTerminal() throws Exception {
            assertThat(subject.whenSettled("t1").get(1, TimeUnit.SECONDS).status()).isEqualTo(Status.STUCK);
            assertThat(subject.whenTerminal("t1")).isNotDone();

            bankA.refundsBroken = false;
            subject.operatorRetry("t1", "ops", "refunds are back");
            network.runUntilQuiet();

            assertThat(subject.whenTerminal("t1").get(1, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPENSATED);
        }

        @Test
        void aWaiterRegisteredBeforeItSticksIsCompletedByTheDecision() throws Exception {
            bankB.limit = 0;
            network.drop = m -> m.destination().equals("bank-a") && m.type().equals(BranchCommand.TYPE)
                    && command(m).phase() == Phase.COMPENSATION;
            CompletableFuture<Transaction> settled = subject.whenSettled("t2");
            subject.start("t2", "transfer", TEN);
            network.runUntilQuiet();
            for (int i = 0; i < 10 && !settled.isDone(); i++) {
                advanceAndFire(Duration.ofSeconds(5));
            }

            assertThat(settled.get(1, TimeUnit.SECONDS).status()).isEqualTo(Status.STUCK);
        }

        @Test
        void isAlertedWhenItsTimersDecideIt() {
            bankB.limit = 0; // the credit fails: the debit is to be refunded, and every refund command is lost
            network.drop = m -> m.destination().equals("bank-a") && m.type().equals(BranchCommand.TYPE)
                    && command(m).phase() == Phase.COMPENSATION;
            subject.start("t2", "transfer", TEN);
            network.runUntilQuiet();
            for (int i = 0; i < 10 && status("t2") != Status.STUCK; i++) {
                advanceAndFire(Duration.ofSeconds(5)); // each refund times out, then its retry is due
            }

            assertThat(status("t2")).isEqualTo(Status.STUCK);
            assertThat(stuckAlerts).extracting(Transaction::id).containsExactly("t1", "t2");
        }

        @Test
        void isAlertedOnceWithWhyItStopped() {
            assertThat(stuckAlerts).singleElement().satisfies(tx -> {
                assertThat(tx.id()).isEqualTo("t1");
                assertThat(tx.status()).isEqualTo(Status.STUCK);
                assertThat(tx.stuckIn()).isEqualTo(Status.COMPENSATING);
                assertThat(tx.reason()).contains("refunds are down");
            });
        }

        @Test
        void isAlertedAgainWhenAnOperatorRetryEndsStuckAgain() {
            subject.operatorRetry("t1", "alice", "trying once more");
            network.runUntilQuiet();
            advanceAndFire(Duration.ofSeconds(1));
            advanceAndFire(Duration.ofSeconds(1));

            assertThat(status("t1")).isEqualTo(Status.STUCK);
            assertThat(stuckAlerts).hasSize(2).extracting(Transaction::id).containsOnly("t1");
        }

        @Test
        void staysStuckAndRepairableWhenTheListenerFails() {
            stuckListener = tx -> {
                throw new IllegalStateException("the pager is down");
            };
            subject.operatorRetry("t1", "alice", "trying once more");
            network.runUntilQuiet();
            advanceAndFire(Duration.ofSeconds(1));
            advanceAndFire(Duration.ofSeconds(1));

            assertThat(status("t1")).isEqualTo(Status.STUCK);
            assertThat(subject.operatorResolve("t1", Status.COMPENSATED, "bob", "refunded by hand").status()).isEqualTo(Status.COMPENSATED);
        }

        @Test
        void isCountedAndSoAreTheOperatorsActions() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CoordinatorMetrics(subject).bindTo(registry);
            assertThat(registry.get("tandem.transactions.stuck").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.started").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.scheduled").gauge().value()).as("a STUCK transaction has no due time").isZero();

            subject.operatorRetry("t1", "alice", "trying once more");
            network.runUntilQuiet();
            advanceAndFire(Duration.ofSeconds(1));
            advanceAndFire(Duration.ofSeconds(1));
            subject.operatorResolve("t1", Status.COMPENSATED, "bob", "refunded by hand");

            assertThat(registry.get("tandem.transactions.stuck").functionCounter().count()).as("stuck again after the retry").isEqualTo(2);
            assertThat(registry.get("tandem.transactions.operator").tag("action", "retry").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.operator").tag("action", "resolve").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.finished").tag("status", "COMPENSATED").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("tandem.transactions.finished").tag("status", "COMMITTED").functionCounter().count()).isZero();
            assertThat(registry.get("tandem.transactions.duration").functionTimer().count()).isEqualTo(1);
        }

        @Test
        void isRepairedByAnAuditedOperatorRetry() {
            bankA.refundsBroken = false;

            subject.operatorRetry("t1", "alice", "refund service is back");
            network.runUntilQuiet();

            TransactionView view = subject.find("t1").orElseThrow();
            assertThat(view.status()).isEqualTo(Status.COMPENSATED);
            assertThat(view.timeline()).extracting(TransactionView.TimelineEntry::type).contains("tandem.saga.OperatorRetried");
            assertThat(bankA.balance()).isEqualTo(100);
        }

        @Test
        void canBeResolvedByAnOperator() {
            subject.operatorResolve("t1", Status.COMPENSATED, "bob", "refunded by hand");

            assertThat(status("t1")).isEqualTo(Status.COMPENSATED);
            assertThatThrownBy(() -> subject.operatorRetry("t1", "bob", "again"))
                    .isInstanceOfSatisfying(TransactionRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransactionRejectedException.Reason.NOT_STUCK));
        }
    }

    @Nested
    @DisplayName("a TCC transaction")
    class Tcc {

        @Test
        void confirmsEveryBranchAfterAllTriesSucceed() {
            subject.start("h1", "hold", TEN);
            network.runUntilQuiet();

            assertThat(status("h1")).isEqualTo(Status.COMMITTED);
            assertThat(bankA.participant().barrierState("h1", 0).confirmed()).isTrue();
            assertThat(bankB.participant().barrierState("h1", 1).confirmed()).isTrue();
        }

        @Test
        void cancelsEveryBranchWhenATryFails() {
            network.drop = m -> m.destination().equals("bank-b") && m.type().equals(BranchCommand.TYPE);
            subject.start("h1", "hold", TEN);
            network.runUntilQuiet();
            network.drop = m -> false;

            advanceAndFire(Duration.ofSeconds(10));

            assertThat(status("h1")).isEqualTo(Status.COMPENSATED);
            assertThat(bankA.participant().barrierState("h1", 0).compensated()).isTrue();
            assertThat(bankB.participant().barrierState("h1", 1).nullCompensation()).isTrue();
        }
    }

    @Nested
    @DisplayName("after a restart")
    class Recovery {

        @Test
        void aNewInstanceRebuildsTheTimersAndFinishesTheTransaction() {
            network.drop = m -> m.destination().equals("bank-b");
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();
            network.drop = m -> false;

            subject = newCoordinator();
            assertThat(subject.recover()).isEqualTo(1);
            network.service("coordinator", coordinatorStore, subject.replyHandler());
            advanceAndFire(Duration.ofSeconds(6));

            assertThat(status("t1")).isEqualTo(Status.COMPENSATED);
            assertThat(bankA.balance()).isEqualTo(100);
            assertThat(bankB.balance()).isZero();
        }

        long startOf(String id) {
            return coordinatorStore.readStream(TransactionStreams.streamOf(id), 1, ReadDirection.FORWARD, 1).getFirst().position();
        }

        long checkpoint() {
            return coordinatorStore.loadCheckpoint(TransactionScan.checkpointName("coordinator")).orElse(0L);
        }

        @Test
        void readsTheLogOnlyFromTheOldestUnfinishedStartAndLoadsOnlyWhatItDidNotSeeFinish() {
            subject.start("done-1", "transfer", TEN);
            network.runUntilQuiet();
            network.drop = m -> m.destination().equals("bank-b"); // the credits of these two wait
            subject.start("open-1", "transfer", TEN);
            subject.start("open-2", "transfer", TEN);
            network.runUntilQuiet();
            network.drop = m -> false;
            subject.start("done-2", "transfer", TEN);
            network.runUntilQuiet();
            assertThat(status("done-1")).isEqualTo(Status.COMMITTED);
            assertThat(status("done-2")).isEqualTo(Status.COMMITTED);

            TransactionScan.Result scan = TransactionScan.scan(coordinatorStore, "coordinator");
            assertThat(scan.candidates()).as("the finished ones are left out").containsExactly("open-1", "open-2");
            subject = newCoordinator();
            assertThat(subject.recover()).isEqualTo(2);
            assertThat(checkpoint()).as("just before the oldest unfinished start").isEqualTo(startOf("open-1") - 1);

            network.service("coordinator", coordinatorStore, subject.replyHandler());
            advanceAndFire(Duration.ofSeconds(6)); // both credits time out: both compensate
            assertThat(status("open-1")).isEqualTo(Status.COMPENSATED);
            assertThat(status("open-2")).isEqualTo(Status.COMPENSATED);
            subject = newCoordinator();
            assertThat(subject.recover()).isZero();
            long end = coordinatorStore.lastPosition();
            assertThat(checkpoint()).as("nothing unfinished: the end of the log").isEqualTo(end);

            assertThat(TransactionScan.scan(coordinatorStore, "coordinator").candidates()).isEmpty();
            network.drop = m -> m.destination().equals("bank-b");
            subject.start("open-3", "transfer", TEN);
            network.runUntilQuiet();
            subject = newCoordinator();
            assertThat(subject.recover()).as("a transaction started after the checkpoint is found").isEqualTo(1);
            TransactionScan.Result after = TransactionScan.scan(coordinatorStore, "coordinator");
            assertThat(after.scannedFrom()).isEqualTo(startOf("open-3") - 1);
            assertThat(after.candidates()).containsExactly("open-3");
        }

        @Test
        void aStuckTransactionHoldsTheCheckpointUntilAnOperatorResolvesIt() {
            bankA.refundsBroken = true;
            bankB.limit = 0;
            subject.start("stuck-1", "transfer", TEN);
            network.runUntilQuiet();
            advanceAndFire(Duration.ofSeconds(1));
            advanceAndFire(Duration.ofSeconds(1));
            assertThat(status("stuck-1")).isEqualTo(Status.STUCK);
            bankB.limit = 1_000;
            subject.start("later", "transfer", TEN);
            network.runUntilQuiet();

            subject = newCoordinator();
            subject.recover();
            assertThat(checkpoint()).isEqualTo(startOf("stuck-1") - 1);
            assertThat(TransactionScan.scan(coordinatorStore, "coordinator").candidates()).containsExactly("stuck-1");

            subject.operatorResolve("stuck-1", Status.COMPENSATED, "ops", "refunded by hand");
            subject = newCoordinator();
            subject.recover();
            assertThat(checkpoint()).isEqualTo(coordinatorStore.lastPosition());
        }
    }

    @Nested
    @DisplayName("the caller's trace context")
    class Trace {

        final TraceContext trace = new TraceContext("order-7", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE");
        final List<Message> sent = new ArrayList<>();

        @BeforeEach
        void recordEveryMessage() {
            network.drop = m -> {
                sent.add(m);
                return false;
            };
        }

        @Test
        void goesWithEveryEventAndMessageOfTheTransactionEachNamingItsCause() {
            subject.startAsync("t1", "transfer", TEN, trace).join();
            network.runUntilQuiet();

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(sent).hasSize(4); // debit, its reply, credit, its reply
            for (Message m : sent) {
                assertThat(TraceContext.of(m.headers())).as("%s", m.type()).isEqualTo(trace);
                assertThat(m.headers().transactionId()).isEqualTo("t1");
            }
            // the first command was caused by the start, each reply by its command, the second command by the first reply
            assertThat(sent.get(0).headers().causationId()).isNull();
            assertThat(sent.get(1).headers().causationId()).isEqualTo(sent.get(0).id().toString());
            assertThat(sent.get(2).headers().causationId()).isEqualTo(sent.get(1).id().toString());
            assertThat(sent.get(3).headers().causationId()).isEqualTo(sent.get(2).id().toString());
            for (InMemoryEventStore store : List.of(coordinatorStore, storeA, storeB)) {
                List<RecordedEvent> t1 = store.readAll(0, 1_000).stream().filter(e -> "t1".equals(e.metadata().transactionId())).toList();
                assertThat(t1).isNotEmpty().allSatisfy(e -> assertThat(TraceContext.of(e.metadata())).isEqualTo(trace));
            }
            // the participants' own events (written with BranchContext.metadata()) carry it too
            assertThat(storeA.readAll(0, 1_000)).filteredOn(e -> e.type().equals("Moved") && e.metadata().transactionId() != null)
                    .singleElement().satisfies(e -> assertThat(e.metadata().causationId()).isEqualTo(sent.get(0).id().toString()));
            assertThat(subject.find("t1").orElseThrow().trace()).isEqualTo(trace);
        }

        @Test
        void survivesARestartOfTheCoordinator() {
            network.drop = m -> {
                sent.add(m);
                return m.destination().equals("bank-b");
            };
            subject.startAsync("t1", "transfer", TEN, trace).join();
            network.runUntilQuiet();
            network.drop = m -> {
                sent.add(m);
                return false;
            };
            sent.clear();

            subject = newCoordinator();
            subject.recover();
            network.service("coordinator", coordinatorStore, subject.replyHandler());
            advanceAndFire(Duration.ofSeconds(6)); // the credit timed out: the debit is refunded

            assertThat(status("t1")).isEqualTo(Status.COMPENSATED);
            assertThat(sent).isNotEmpty().allSatisfy(m -> assertThat(TraceContext.of(m.headers())).isEqualTo(trace));
            // the new instance's ownership claim is an event of the transaction too
            assertThat(coordinatorStore.readStream(TransactionStreams.streamOf("t1"), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 100))
                    .anySatisfy(e -> assertThat(e.type()).isEqualTo(Fence.CLAIMED))
                    .allSatisfy(e -> assertThat(TraceContext.of(e.metadata())).isEqualTo(trace));
        }

        @Test
        void aStartWithoutOneCorrelatesByTheTransactionAndCarriesNoTrace() {
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();

            assertThat(sent).hasSize(4).allSatisfy(m -> {
                assertThat(m.headers().correlationId()).isEqualTo("t1");
                assertThat(m.traceparent()).isNull();
                assertThat(m.headers().headers()).isEmpty();
            });
            assertThat(subject.find("t1").orElseThrow().trace()).isEqualTo(TraceContext.NONE);
        }

        @Test
        void aRepeatedStartWithAnotherTraceKeepsTheFirst() {
            subject.startAsync("t1", "transfer", TEN, trace).join();
            subject.startAsync("t1", "transfer", TEN, TraceContext.ofTrace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)).join();
            network.runUntilQuiet();

            assertThat(sent).hasSize(4).allSatisfy(m -> assertThat(TraceContext.of(m.headers())).isEqualTo(trace));
        }
    }

    static BranchCommand command(Message m) {
        return Json.decode(new String(m.payload(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), BranchCommand.class);
    }

    @Nested
    @DisplayName("outcome futures and the state cache")
    class Outcomes {

        @Test
        void whenTerminalCompletesOnceTheFinalDecisionIsDurable() throws Exception {
            bankB.limit = 5;
            CompletableFuture<Transaction> committed = subject.whenTerminal("t1");
            CompletableFuture<Transaction> compensated = subject.whenTerminal("t2");

            subject.start("t1", "transfer", "{\"amount\":3}");
            subject.start("t2", "transfer", TEN);
            assertThat(committed).isNotDone();
            network.runUntilQuiet();

            assertThat(committed.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
            assertThat(compensated.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPENSATED);
            assertThat(subject.terminalWaiters()).isZero();
            assertThat(subject.whenTerminal("t1")).isCompletedWithValueMatching(t -> t.status() == Status.COMMITTED);
            assertThat(subject.cachedTransactions()).as("final transactions leave the cache").isZero();
        }

        @Test
        void whenTerminalCompletesOnATimerDecisionAndAfterRecovery() throws Exception {
            network.drop = m -> m.destination().equals("bank-b") && m.type().equals(BranchCommand.TYPE);
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();

            Coordinator restarted = newCoordinator();
            assertThat(restarted.recover()).isEqualTo(1);
            CompletableFuture<Transaction> outcome = restarted.whenTerminal("t1");
            assertThat(outcome).isNotDone();
            clock.advance(Duration.ofSeconds(5));
            restarted.fireDueTimers();
            network.drop = m -> m.destination().equals("coordinator"); // replies go to the restarted instance
            for (int round = 0; round < 10 && !outcome.isDone(); round++) {
                network.dropped.clear();
                network.runUntilQuiet();
                for (Message reply : List.copyOf(network.dropped)) {
                    Commit commit = restarted.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build();
                    coordinatorStore.commit(commit);
                    ((CommitAwareHandler) restarted.replyHandler()).committed(reply, commit);
                }
            }

            assertThat(outcome.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.COMPENSATED);
            assertThat(bankA.balance()).isEqualTo(100);
        }

        @Test
        void aDecisionThatWasNeverCommittedIsNotTrusted() throws Exception {
            network.drop = m -> m.destination().equals("coordinator");
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();
            Message reply = network.dropped.getLast();

            subject.replyHandler().handle(reply); // decided, but the inbox never commits it
            network.drop = m -> false;
            network.redeliver(reply);
            network.runUntilQuiet();

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(bankA.balance()).isEqualTo(90);
            assertThat(bankB.balance()).isEqualTo(10);
        }

        @Test
        void anotherWritersDecisionInTheSamePlaceReplacesTheCachedOne() throws Exception {
            network.drop = m -> m.destination().equals("coordinator");
            subject.start("t1", "transfer", TEN);
            network.runUntilQuiet();
            Message reply = network.dropped.getLast();

            subject.replyHandler().handle(reply); // decided and cached, never committed
            Coordinator other = newCoordinator();
            coordinatorStore.commit(other.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build());
            long versionAfterOther = coordinatorStore.streamVersion(TransactionStreams.streamOf("t1"));
            network.drop = m -> false;
            network.runUntilQuiet(); // the credit command the other instance sent, and its reply to this one

            assertThat(status("t1")).isEqualTo(Status.COMMITTED);
            assertThat(subject.find("t1").orElseThrow().version()).isGreaterThan(versionAfterOther);
            assertThat(bankA.balance()).isEqualTo(90);
            assertThat(bankB.balance()).isEqualTo(10);
        }
    }

    @Nested
    @DisplayName("decides on the state it committed itself")
    class OwnState {

        /** Starts t1 and returns the first reply to the coordinator, held back. */
        private Message heldBackReply() throws Exception {
            subject.start("t1", "transfer", TEN);
            network.drop = m -> m.destination().equals("coordinator");
            network.runUntilQuiet();
            return network.dropped.getFirst();
        }

        /** Appends an event the decider ignores to t1's stream, as another writer would, behind the coordinator's back. */
        private void anotherWriterMovesTheStreamOn() {
            coordinatorStore.append(TransactionStreams.streamOf("t1"), ExpectedVersion.any(),
                    List.of(new NewEvent(NewEvent.newId(), "test.Note", "{}".getBytes(StandardCharsets.UTF_8), Json.CONTENT_TYPE, Metadata.EMPTY, null)));
        }

        @Test
        void decidesAReplyWithoutReadingTheStoreAndRereadsItWhenTheCommitConflicts() throws Exception {
            Message reply = heldBackReply();
            anotherWriterMovesTheStreamOn();

            Commit.Builder fromItsState = subject.replyHandler().handle(reply);

            assertThatThrownBy(() -> coordinatorStore.commit(fromItsState.inbox(InboxEntry.of("coordinator", reply.id())).build()))
                    .as("decided on the version it committed, not on a read").isInstanceOf(StreamVersionConflict.class);
            coordinatorStore.commit(subject.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build());
            assertThat(subject.find("t1").orElseThrow().steps().getFirst().action()).isEqualTo(LegStatus.SUCCEEDED);
        }

        @Test
        void aReplyThatChangesNothingIsConsumedOnlyWhileTheStreamIsStillAtTheVersionItWasDecidedOn() throws Exception {
            Message reply = heldBackReply();
            coordinatorStore.commit(subject.replyHandler().handle(reply).inbox(InboxEntry.of("coordinator", reply.id())).build());
            long version = coordinatorStore.streamVersion(TransactionStreams.streamOf("t1"));
            Message again = new Message(java.util.UUID.randomUUID(), reply.source(), reply.destination(), reply.partitionKey(), reply.sequence(),
                    reply.timestamp(), reply.type(), reply.contentType(), reply.payload(), reply.headers());

            // the same reply once more under a new id: nothing to decide, and nothing appended
            Commit noChange = subject.replyHandler().handle(again).inbox(InboxEntry.of("coordinator", again.id())).build();
            assertThat(noChange.writes()).isEmpty();
            assertThat(noChange.guards()).singleElement().satisfies(g -> {
                assertThat(g.stream()).isEqualTo(TransactionStreams.streamOf("t1"));
                assertThat(g.expected()).isEqualTo(ExpectedVersion.exactly(version));
            });
            anotherWriterMovesTheStreamOn();
            assertThatThrownBy(() -> coordinatorStore.commit(noChange)).as("the stream moved on since").isInstanceOf(StreamVersionConflict.class);
            assertThat(coordinatorStore.findInbox("coordinator", again.id())).isEmpty();
        }
    }
}
