package dev.tandem.saga.participant;

import static dev.tandem.saga.definition.Phase.ACTION;
import static dev.tandem.saga.definition.Phase.COMPENSATION;
import static dev.tandem.saga.definition.Phase.CONFIRM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.saga.participant.BarrierEvent.ActionRecorded;
import dev.tandem.saga.participant.BarrierEvent.ActionRefused;
import dev.tandem.saga.participant.BarrierEvent.CompensationRecorded;
import dev.tandem.saga.participant.BarrierEvent.ConfirmRecorded;
import dev.tandem.saga.participant.BarrierEvent.Replied;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BarrierTest {

    static BarrierState after(BarrierEvent... events) {
        return Barrier.replay(List.of(events));
    }

    @Nested
    @DisplayName("an action")
    class Actions {

        @Test
        void runsTheHandlerTheFirstTime() {
            assertThat(Barrier.decide(BarrierState.EMPTY, ACTION)).isEqualTo(BarrierDecision.EXECUTE);
        }

        @Test
        void thatIsDuplicatedGetsTheFirstReplyWithoutRunningAgain() {
            BarrierState failed = after(new ActionRecorded(ReplyOutcome.FAILED, "insufficient funds"));

            assertThat(Barrier.decide(failed, ACTION))
                    .isEqualTo(new BarrierDecision.Answer(new Replied(ACTION, ReplyOutcome.FAILED, "insufficient funds")));
            assertThat(Barrier.decide(after(new ActionRecorded(ReplyOutcome.SUCCEEDED, null)), ACTION))
                    .isEqualTo(new BarrierDecision.Answer(new Replied(ACTION, ReplyOutcome.SUCCEEDED, null)));
        }

        @Test
        void thatArrivesAfterItsCompensationIsRefused() {
            BarrierState compensated = after(new CompensationRecorded(true));

            BarrierDecision decision = Barrier.decide(compensated, ACTION);

            assertThat(decision).isEqualTo(new BarrierDecision.Answer(new ActionRefused()));
            BarrierState refused = Barrier.evolve(compensated, new ActionRefused());
            assertThat(refused.action()).isEqualTo(ActionState.REFUSED);
            assertThat(Barrier.decide(refused, ACTION)).isInstanceOfSatisfying(BarrierDecision.Answer.class,
                    a -> assertThat(a.event().outcome()).isEqualTo(ReplyOutcome.REFUSED));
        }

        @Test
        void thatFailsTransientlyRecordsNothingSoItCanRunAgain() {
            BarrierEvent event = Barrier.recordOutcome(ACTION, ReplyOutcome.RETRYABLE, "db busy");

            assertThat(event).isEqualTo(new Replied(ACTION, ReplyOutcome.RETRYABLE, "db busy"));
            assertThat(event.carriesEffects()).isFalse();
            assertThat(Barrier.decide(after(event), ACTION)).isEqualTo(BarrierDecision.EXECUTE);
        }
    }

    @Nested
    @DisplayName("a compensation")
    class Compensations {

        @Test
        void thatArrivesBeforeItsActionIsANullCompensationAnsweredWithSuccess() {
            BarrierDecision decision = Barrier.decide(BarrierState.EMPTY, COMPENSATION);

            assertThat(decision).isEqualTo(new BarrierDecision.Answer(new CompensationRecorded(true)));
            assertThat(((BarrierDecision.Answer) decision).event().outcome()).isEqualTo(ReplyOutcome.SUCCEEDED);
            assertThat(((BarrierDecision.Answer) decision).event().carriesEffects()).isFalse();
        }

        @Test
        void ofAFailedActionUndoesNothing() {
            assertThat(Barrier.decide(after(new ActionRecorded(ReplyOutcome.FAILED, "no")), COMPENSATION))
                    .isEqualTo(new BarrierDecision.Answer(new CompensationRecorded(true)));
        }

        @Test
        void ofASucceededActionRunsTheHandlerOnceAndRepeatsItsAnswer() {
            BarrierState done = after(new ActionRecorded(ReplyOutcome.SUCCEEDED, null));
            assertThat(Barrier.decide(done, COMPENSATION)).isEqualTo(BarrierDecision.EXECUTE);

            BarrierState compensated = Barrier.evolve(done, Barrier.recordOutcome(COMPENSATION, ReplyOutcome.SUCCEEDED, null));

            assertThat(compensated.compensated()).isTrue();
            assertThat(compensated.nullCompensation()).isFalse();
            assertThat(Barrier.decide(compensated, COMPENSATION))
                    .isEqualTo(new BarrierDecision.Answer(new Replied(COMPENSATION, ReplyOutcome.SUCCEEDED, null)));
        }

        @Test
        void thatFailsIsReportedRetryableAndRecordsNothing() {
            BarrierEvent event = Barrier.recordOutcome(COMPENSATION, ReplyOutcome.FAILED, "locked");

            assertThat(event).isEqualTo(new Replied(COMPENSATION, ReplyOutcome.RETRYABLE, "locked"));
        }
    }

    @Nested
    @DisplayName("a confirm")
    class Confirms {

        @Test
        void runsOnceAfterASuccessfulTryAndIsIdempotent() {
            BarrierState tried = after(new ActionRecorded(ReplyOutcome.SUCCEEDED, null));
            assertThat(Barrier.decide(tried, CONFIRM)).isEqualTo(BarrierDecision.EXECUTE);

            BarrierState confirmed = Barrier.evolve(tried, new ConfirmRecorded());

            assertThat(Barrier.decide(confirmed, CONFIRM))
                    .isEqualTo(new BarrierDecision.Answer(new Replied(CONFIRM, ReplyOutcome.SUCCEEDED, null)));
            assertThat(Barrier.decide(confirmed, COMPENSATION)).isInstanceOfSatisfying(BarrierDecision.Answer.class,
                    a -> assertThat(a.event().outcome()).isEqualTo(ReplyOutcome.FAILED));
        }

        @Test
        void isRefusedWithoutASuccessfulTryOrAfterACancel() {
            assertThat(Barrier.decide(BarrierState.EMPTY, CONFIRM)).isInstanceOfSatisfying(BarrierDecision.Answer.class,
                    a -> assertThat(a.event().outcome()).isEqualTo(ReplyOutcome.FAILED));
            BarrierState cancelled = after(new ActionRecorded(ReplyOutcome.SUCCEEDED, null), new CompensationRecorded(false));
            assertThat(Barrier.decide(cancelled, CONFIRM)).isInstanceOfSatisfying(BarrierDecision.Answer.class,
                    a -> assertThat(a.event().reason()).contains("cancelled"));
        }
    }
}
