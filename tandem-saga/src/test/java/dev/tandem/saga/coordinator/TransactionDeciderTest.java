package dev.tandem.saga.coordinator;

import static dev.tandem.saga.definition.Phase.ACTION;
import static dev.tandem.saga.definition.Phase.COMPENSATION;
import static dev.tandem.saga.definition.Phase.CONFIRM;
import static dev.tandem.saga.protocol.ReplyOutcome.FAILED;
import static dev.tandem.saga.protocol.ReplyOutcome.RETRYABLE;
import static dev.tandem.saga.protocol.ReplyOutcome.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.messaging.TraceContext;
import dev.tandem.saga.coordinator.TransactionEvent.Committed;
import dev.tandem.saga.coordinator.TransactionEvent.Compensated;
import dev.tandem.saga.coordinator.TransactionEvent.CompensationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.ConfirmationStarted;
import dev.tandem.saga.coordinator.TransactionEvent.DeadlineFired;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorResolved;
import dev.tandem.saga.coordinator.TransactionEvent.OperatorRetried;
import dev.tandem.saga.coordinator.TransactionEvent.RetriesExhausted;
import dev.tandem.saga.coordinator.TransactionEvent.RetryScheduled;
import dev.tandem.saga.coordinator.TransactionEvent.Started;
import dev.tandem.saga.coordinator.TransactionEvent.StepCompensated;
import dev.tandem.saga.coordinator.TransactionEvent.StepConfirmed;
import dev.tandem.saga.coordinator.TransactionEvent.StepFailed;
import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.coordinator.TransactionEvent.StepSucceeded;
import dev.tandem.saga.coordinator.TransactionEvent.StepTimedOut;
import dev.tandem.saga.coordinator.TransactionEvent.Stuck;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TransactionDeciderTest {

    TransactionDecider subject;
    Run run;

    @BeforeEach
    void setUp() {
        subject = new TransactionDecider(Definitions.registry());
        run = new Run(subject);
    }

    @Nested
    @DisplayName("starting a transaction")
    class Starting {

        @Test
        void startRecordsDefinitionVersionAndDeadlineAndRequestsOnlyTheFirstStep() {
            List<TransactionEvent> out = run.start("tx-1", "transfer", "{\"amount\":5}");

            assertThat(out).hasSize(2);
            assertThat(out.get(0)).isEqualTo(new Started("tx-1", "transfer", 1, "{\"amount\":5}", Run.T0.plusSeconds(30), Run.T0, null));
            StepRequested r = (StepRequested) out.get(1);
            assertThat(r.step()).isZero();
            assertThat(r.phase()).isEqualTo(ACTION);
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.timeoutAt()).isEqualTo(Run.T0.plusSeconds(5));
            assertThat(r.commandId()).isEqualTo(TransactionDecider.commandId("tx-1", Run.T0, 0, ACTION, 1));
            assertThat(run.tx().status()).isEqualTo(Status.RUNNING);
        }

        @Test
        void repeatingAStartWithTheSameInputChangesNothing() {
            run.start("tx-1", "transfer", "{\"amount\":5}");

            assertThat(run.start("tx-1", "transfer", "{\"amount\":5}")).isEmpty();
        }

        @Test
        void theCallersTraceIsRecordedOnceAndIsNotPartOfTheInput() {
            TraceContext trace = new TraceContext("order-7", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "a=1");
            List<TransactionEvent> out = run.apply(new TransactionCommand.Start("tx-1", "transfer", "{\"amount\":5}", Run.T0, trace));

            assertThat(((Started) out.get(0)).trace()).isEqualTo(trace);
            assertThat(run.tx().trace()).isEqualTo(trace);
            // a retried start with another trace (a new request span) finds the transaction as it started
            assertThat(run.apply(new TransactionCommand.Start("tx-1", "transfer", "{\"amount\":5}", Run.T0,
                    TraceContext.ofTrace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)))).isEmpty();
            assertThat(run.tx().trace()).isEqualTo(trace);
        }

        @Test
        void aStartWithoutTraceRecordsNoneAndTheStateSaysNone() {
            List<TransactionEvent> out = run.start("tx-1", "transfer", "{}");

            assertThat(((Started) out.get(0)).trace()).isNull();
            assertThat(run.tx().trace()).isSameAs(TraceContext.NONE);
        }

        @Test
        void reusingAnIdWithDifferentInputIsRejectedWithATypedError() {
            run.start("tx-1", "transfer", "{\"amount\":5}");

            assertThatThrownBy(() -> run.start("tx-1", "transfer", "{\"amount\":6}"))
                    .isInstanceOfSatisfying(TransactionRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(TransactionRejectedException.Reason.CONFLICTING_START);
                        assertThat(e.transactionId()).isEqualTo("tx-1");
                        assertThat(e.isTransient()).isFalse();
                    })
                    .hasMessageContaining("transfer@1").hasMessageContaining("{\"amount\":6}");
        }

        @Test
        void anUnknownDefinitionIsRejected() {
            assertThatThrownBy(() -> run.start("tx-1", "nope", "{}"))
                    .isInstanceOf(DefinitionRegistry.UnknownDefinitionException.class)
                    .hasMessageContaining("nope");
        }

        @Test
        void aRunningInstanceKeepsTheVersionItStartedWithWhenANewVersionIsRegistered() {
            DefinitionRegistry registry = Definitions.registry();
            Run r = new Run(new TransactionDecider(registry));
            r.start("tx-1", "transfer", "{}");
            registry.register(TransactionDefinition.saga("transfer", 2)
                    .step("only", s -> s.participant("bank-a").action("move")).build());

            r.reply(0, ACTION, SUCCEEDED);

            assertThat(r.tx().definition().version()).isEqualTo(1);
            assertThat(r.requests(ACTION)).hasSize(2);
            Run fresh = new Run(new TransactionDecider(registry));
            fresh.start("tx-2", "transfer", "{}");
            assertThat(fresh.tx().definition().version()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("a saga")
    class Saga {

        @Test
        void commitsWhenEveryStepSucceeds() {
            run.start("tx-1", "transfer", "{}");

            assertThat(run.reply(0, ACTION, SUCCEEDED)).first().isInstanceOf(StepSucceeded.class);
            List<TransactionEvent> last = run.reply(1, ACTION, SUCCEEDED);

            assertThat(last).last().isInstanceOf(Committed.class);
            assertThat(run.tx().status()).isEqualTo(Status.COMMITTED);
            assertThat(run.requests(COMPENSATION)).isEmpty();
            assertThat(run.tx().nextDueAt()).isEmpty();
        }

        @Test
        void compensatesOnlyTheCompletedStepsInReverseOrderAfterABusinessFailure() {
            run.start("tx-1", "transfer", "{}");
            run.reply(0, ACTION, SUCCEEDED);

            List<TransactionEvent> out = run.reply(1, ACTION, FAILED);

            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isInstanceOf(StepFailed.class);
            assertThat(out.get(1)).isInstanceOfSatisfying(CompensationStarted.class,
                    c -> assertThat(c.reason()).contains("credit").contains("because"));
            assertThat(out.get(2)).isInstanceOfSatisfying(StepRequested.class, r -> {
                assertThat(r.step()).isZero();
                assertThat(r.phase()).isEqualTo(COMPENSATION);
            });
            assertThat(run.reply(0, COMPENSATION, SUCCEEDED)).last().isInstanceOf(Compensated.class);
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATED);
            assertThat(run.requests(COMPENSATION)).extracting(StepRequested::step).containsExactly(0);
        }

        @Test
        void retriesATransientFailureAfterAJitteredBackoffWithAFreshCommandId() {
            run.start("tx-1", "transfer", "{}");

            List<TransactionEvent> out = run.reply(0, ACTION, RETRYABLE);

            RetryScheduled retry = (RetryScheduled) out.getFirst();
            assertThat(retry.dueAt()).isBetween(Run.T0.plusMillis(50), Run.T0.plusMillis(100));
            assertThat(run.tx().nextDueAt()).contains(retry.dueAt());
            assertThat(run.advance(Duration.ofMillis(49))).isEmpty();
            run.now = retry.dueAt();
            List<TransactionEvent> fired = run.apply(new TransactionCommand.FireDueTimers(run.now, 1));
            assertThat(fired).singleElement().isInstanceOfSatisfying(StepRequested.class, r -> {
                assertThat(r.attempt()).isEqualTo(2);
                assertThat(r.commandId()).isEqualTo(TransactionDecider.commandId("tx-1", Run.T0, 0, ACTION, 2));
            });
        }

        @Test
        void theBackoffGrowsAndIsCapped() {
            assertThat(Definitions.THREE_TRIES.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(100));
            assertThat(Definitions.THREE_TRIES.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(200));
            assertThat(Definitions.THREE_TRIES.backoff(30, 0.0)).isEqualTo(Duration.ofSeconds(1));
            assertThat(Definitions.THREE_TRIES.backoff(30, 0.999)).isBetween(Duration.ofMillis(500), Duration.ofMillis(501));
        }

        @Test
        void abortsWhenTransientRetriesAreExhausted() {
            run.start("tx-1", "transfer", "{}");
            for (int i = 0; i < 2; i++) {
                run.reply(0, ACTION, RETRYABLE);
                run.advance(Duration.ofSeconds(2));
            }

            List<TransactionEvent> out = run.reply(0, ACTION, RETRYABLE);

            assertThat(out.get(0)).isInstanceOf(RetriesExhausted.class);
            assertThat(out.get(1)).isInstanceOf(CompensationStarted.class);
            assertThat(run.tx().step(0).action().attempt()).isEqualTo(3);
        }

        @Test
        void aTimedOutStepCountsAsFailedAndIsCompensatedBecauseItMayHaveTakenEffect() {
            run.start("tx-1", "transfer", "{}");
            run.reply(0, ACTION, SUCCEEDED);

            List<TransactionEvent> out = run.advance(Duration.ofSeconds(5));

            assertThat(out.get(0)).isInstanceOf(StepTimedOut.class);
            assertThat(out.get(1)).isInstanceOf(CompensationStarted.class);
            assertThat(out.get(2)).isInstanceOfSatisfying(StepRequested.class, r -> {
                assertThat(r.step()).isEqualTo(1);
                assertThat(r.phase()).isEqualTo(COMPENSATION);
            });
            assertThat(run.reply(1, ACTION, 1, SUCCEEDED)).as("late success").isEmpty();
            run.reply(1, COMPENSATION, SUCCEEDED);
            run.reply(0, COMPENSATION, SUCCEEDED);
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATED);
            assertThat(run.requests(COMPENSATION)).extracting(StepRequested::step).containsExactly(1, 0);
        }

        @Test
        void theDeadlineAbortsTheForwardPhase() {
            run.start("tx-1", "transfer", "{}");
            run.reply(0, ACTION, RETRYABLE);
            run.now = Run.T0.plusSeconds(30);

            List<TransactionEvent> out = run.apply(new TransactionCommand.FireDueTimers(run.now, 3));

            assertThat(out.get(0)).isInstanceOf(DeadlineFired.class);
            assertThat(out.get(1)).isInstanceOfSatisfying(CompensationStarted.class, c -> assertThat(c.reason()).contains("deadline"));
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATING);
        }

        @Test
        void ignoresDuplicateAndStaleReplies() {
            run.start("tx-1", "transfer", "{}");
            run.reply(0, ACTION, SUCCEEDED);

            assertThat(run.reply(0, ACTION, 1, SUCCEEDED)).isEmpty();
            assertThat(run.reply(0, ACTION, 1, FAILED)).isEmpty();
            assertThat(run.reply(1, ACTION, 7, SUCCEEDED)).isEmpty();
            assertThat(run.reply(9, ACTION, 1, SUCCEEDED)).isEmpty();
        }

        @Test
        void runsAParallelGroupTogetherAndCompensatesStagesInReverse() {
            run.start("tx-1", "fan-out", "{}");
            run.reply(0, ACTION, SUCCEEDED);
            assertThat(run.requests(ACTION)).extracting(StepRequested::step).containsExactly(0, 1, 2);

            run.reply(1, ACTION, SUCCEEDED);
            List<TransactionEvent> out = run.reply(2, ACTION, FAILED);

            assertThat(out).filteredOn(StepRequested.class::isInstance).extracting(e -> ((StepRequested) e).step()).containsExactly(1);
            assertThat(run.reply(1, COMPENSATION, SUCCEEDED)).filteredOn(StepRequested.class::isInstance)
                    .extracting(e -> ((StepRequested) e).step()).containsExactly(0);
            run.reply(0, COMPENSATION, SUCCEEDED);
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATED);
        }

        @Test
        void aStepWithoutCompensationIsNotUndone() {
            run.start("tx-1", "fan-out", "{}");
            run.reply(0, ACTION, SUCCEEDED);
            run.reply(1, ACTION, SUCCEEDED);
            run.reply(2, ACTION, SUCCEEDED);

            run.reply(3, ACTION, FAILED);

            assertThat(run.requests(COMPENSATION)).extracting(StepRequested::step).containsExactlyInAnyOrder(1, 2);
        }
    }

    @Nested
    @DisplayName("a saga's pivot (its last step, without compensation)")
    class Pivot {

        @BeforeEach
        void debitDoneCreditRequested() {
            run.start("tx-1", "pivot", "{}");
            run.reply(0, ACTION, SUCCEEDED);
        }

        @Test
        void aTimeoutReSendsTheActionInsteadOfAbortingBecauseItsEffectCouldNotBeUndone() {
            List<TransactionEvent> out = run.advance(Duration.ofSeconds(5));

            assertThat(out).singleElement().isInstanceOfSatisfying(RetryScheduled.class, r -> assertThat(r.phase()).isEqualTo(ACTION));
            assertThat(run.tx().status()).isEqualTo(Status.RUNNING);
            run.advance(Duration.ofSeconds(1));
            assertThat(run.requests(ACTION)).extracting(StepRequested::step, StepRequested::attempt)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 1), org.assertj.core.groups.Tuple.tuple(1, 1),
                            org.assertj.core.groups.Tuple.tuple(1, 2));
            assertThat(run.reply(1, ACTION, SUCCEEDED)).as("the barrier's first reply to the re-sent action").last().isInstanceOf(Committed.class);
            assertThat(run.requests(COMPENSATION)).isEmpty();
        }

        @Test
        void aLateSuccessOfTheTimedOutAttemptCommitsWithoutWaitingForTheReSend() {
            run.advance(Duration.ofSeconds(5));

            assertThat(run.reply(1, ACTION, 1, SUCCEEDED)).last().isInstanceOf(Committed.class);
            assertThat(run.tx().nextDueAt()).isEmpty();
        }

        @Test
        void aLateTransientAnswerOfTheTimedOutAttemptChangesNothing() {
            run.advance(Duration.ofSeconds(5));

            assertThat(run.reply(1, ACTION, 1, RETRYABLE)).isEmpty();
        }

        @Test
        void theDeadlineDoesNotAbortOnceThePivotMayHaveTakenEffect() {
            run.now = Run.T0.plusSeconds(30);
            List<TransactionEvent> out = run.apply(new TransactionCommand.FireDueTimers(run.now, 3));

            assertThat(out).first().isInstanceOf(DeadlineFired.class);
            assertThat(out).noneMatch(CompensationStarted.class::isInstance);
            assertThat(run.reply(1, ACTION, SUCCEEDED)).last().isInstanceOf(Committed.class);
        }

        @Test
        void aDefiniteBusinessFailureOfThePivotCompensatesTheStepsBeforeIt() {
            run.advance(Duration.ofSeconds(5));
            run.advance(Duration.ofSeconds(1));

            List<TransactionEvent> out = run.reply(1, ACTION, FAILED);

            assertThat(out).anyMatch(CompensationStarted.class::isInstance);
            run.reply(0, COMPENSATION, SUCCEEDED);
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATED);
            assertThat(run.requests(COMPENSATION)).extracting(StepRequested::step).containsExactly(0);
        }

        @Test
        void endsStuckRatherThanGuessingWhenThePivotNeverAnswers() {
            List<TransactionEvent> all = new java.util.ArrayList<>();
            for (int i = 0; i < 20 && run.tx().status() == Status.RUNNING; i++) {
                all.addAll(run.advance(Duration.ofSeconds(5)));
            }

            assertThat(run.tx().status()).isEqualTo(Status.STUCK);
            assertThat(all).last().isInstanceOfSatisfying(Stuck.class, s -> assertThat(s.reason()).contains("credit").contains("unknown"));
            assertThat(run.tx().step(1).action().attempt()).isEqualTo(Definitions.FOUR_TRIES.maxAttempts());
            assertThat(run.requests(COMPENSATION)).isEmpty();
            run.apply(new TransactionCommand.OperatorRetry("ops", "bank B is back", run.now));
            assertThat(run.requests(ACTION)).last().satisfies(r -> assertThat(r.step()).isEqualTo(1));
            assertThat(run.reply(1, ACTION, SUCCEEDED)).last().isInstanceOf(Committed.class);
        }

        @Test
        void aStepWithoutCompensationAnywhereButLastAndAloneIsRejected() {
            assertThatThrownBy(() -> TransactionDefinition.saga("bad", 1)
                    .step("credit", st -> st.participant("b").action("credit"))
                    .step("debit", st -> st.participant("a").action("debit").compensation("refund"))
                    .build())
                    .isInstanceOf(dev.tandem.core.InvalidInputException.class)
                    .hasMessageContaining("credit").hasMessageContaining("pivot").hasMessageContaining("stage 1 of 2");
        }
    }

    @Nested
    @DisplayName("a stuck transaction")
    class StuckTransactions {

        @BeforeEach
        void failCompensationUntilStuck() {
            run.start("tx-1", "transfer", "{}");
            run.reply(0, ACTION, SUCCEEDED);
            run.reply(1, ACTION, FAILED);
            for (int i = 0; i < 3; i++) {
                run.reply(0, COMPENSATION, RETRYABLE);
                run.advance(Duration.ofSeconds(2));
            }
        }

        @Test
        void becomesStuckWhenItsCompensationExhaustsThePolicy() {
            List<TransactionEvent> out = run.advance(Duration.ofSeconds(5));

            assertThat(out).hasSize(2);
            assertThat(out.get(1)).isInstanceOfSatisfying(Stuck.class, s -> {
                assertThat(s.step()).isZero();
                assertThat(s.reason()).contains("debit").contains("timed out");
            });
            assertThat(run.tx().status()).isEqualTo(Status.STUCK);
            assertThat(run.tx().nextDueAt()).isEmpty();
            assertThat(run.advance(Duration.ofHours(1))).isEmpty();
        }

        @Test
        void anOperatorRetryGivesAFreshBudgetAndResumesCompensation() {
            run.advance(Duration.ofSeconds(5));
            TransactionDecider.checkOperatorCommand("tx-1", run.state);

            List<TransactionEvent> out = run.apply(new TransactionCommand.OperatorRetry("ops", "db fixed", run.now));

            assertThat(out.get(0)).isEqualTo(new OperatorRetried("ops", "db fixed", run.now));
            assertThat(out.get(1)).isInstanceOfSatisfying(StepRequested.class, r -> assertThat(r.attempt()).isEqualTo(5));
            assertThat(run.reply(0, COMPENSATION, SUCCEEDED)).last().isInstanceOf(Compensated.class);
        }

        @Test
        void anOperatorResolveEndsItWithTheGivenOutcome() {
            run.advance(Duration.ofSeconds(5));

            run.apply(new TransactionCommand.OperatorResolve("ops", Status.COMPENSATED, "refunded by hand", run.now));

            assertThat(run.events).last().isInstanceOf(OperatorResolved.class);
            assertThat(run.tx().status()).isEqualTo(Status.COMPENSATED);
            assertThat(run.tx().reason()).contains("ops").contains("refunded by hand");
        }

        @Test
        void operatorCommandsAreRefusedUnlessStuck() {
            assertThatThrownBy(() -> TransactionDecider.checkOperatorCommand("tx-1", run.state))
                    .isInstanceOfSatisfying(TransactionRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransactionRejectedException.Reason.NOT_STUCK))
                    .hasMessageContaining("COMPENSATING");
            assertThatThrownBy(() -> TransactionDecider.checkOperatorCommand("tx-9", TransactionDecider.initial()))
                    .isInstanceOfSatisfying(TransactionRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransactionRejectedException.Reason.NOT_FOUND));
        }
    }

    @Nested
    @DisplayName("a TCC transaction")
    class Tcc {

        @Test
        void triesInParallelThenConfirmsAllThenCommits() {
            run.start("tx-1", "booking", "{}");
            assertThat(run.requests(ACTION)).extracting(StepRequested::step).containsExactly(0, 1);

            run.reply(0, ACTION, SUCCEEDED);
            List<TransactionEvent> out = run.reply(1, ACTION, SUCCEEDED);

            assertThat(out).filteredOn(ConfirmationStarted.class::isInstance).hasSize(1);
            assertThat(run.requests(CONFIRM)).extracting(StepRequested::step).containsExactly(0, 1);
            run.reply(0, CONFIRM, RETRYABLE);
            run.advance(Duration.ofSeconds(1));
            run.reply(0, CONFIRM, SUCCEEDED);
            assertThat(run.reply(1, CONFIRM, SUCCEEDED)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly(StepConfirmed.class.getSimpleName(), Committed.class.getSimpleName());
        }

        @Test
        void cancelsEveryBranchThatMayHaveTriedWhenOneTryFails() {
            run.start("tx-1", "booking", "{}");

            run.reply(1, ACTION, FAILED);

            assertThat(run.requests(COMPENSATION)).extracting(StepRequested::step).containsExactly(0);
            assertThat(run.reply(0, ACTION, SUCCEEDED)).as("late try success is recorded").hasSize(1);
            assertThat(run.reply(0, COMPENSATION, SUCCEEDED)).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly(StepCompensated.class.getSimpleName(), Compensated.class.getSimpleName());
        }

        @Test
        void endsStuckWhenAConfirmKeepsFailing() {
            run.start("tx-1", "booking", "{}");
            run.reply(0, ACTION, SUCCEEDED);
            run.reply(1, ACTION, SUCCEEDED);
            for (int i = 0; i < 3; i++) {
                run.reply(1, CONFIRM, FAILED);
                run.advance(Duration.ofSeconds(2));
            }

            List<TransactionEvent> out = run.reply(1, CONFIRM, FAILED);

            assertThat(out).last().isInstanceOfSatisfying(Stuck.class, s -> assertThat(s.phase()).isEqualTo(CONFIRM));
            assertThat(run.tx().stuckIn()).isEqualTo(Status.CONFIRMING);
        }
    }

    @Test
    void replayingTheEventsGivesTheSameState() {
        run.start("tx-1", "transfer", "{}");
        run.reply(0, ACTION, SUCCEEDED);
        run.reply(1, ACTION, RETRYABLE);
        run.advance(Duration.ofSeconds(1));

        assertThat(subject.replay(run.events)).isEqualTo(run.state);
        assertThat(((Transaction) subject.replay(run.events)).updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    }
}
