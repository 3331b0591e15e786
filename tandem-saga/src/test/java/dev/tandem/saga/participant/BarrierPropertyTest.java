package dev.tandem.saga.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any sequence of (duplicated, reordered) branch commands against one barrier keeps its promises. */
class BarrierPropertyTest {

    /** One delivery: which operation arrives, and what its handler would answer if run. */
    record Delivery(Phase phase, ReplyOutcome handlerOutcome) {}

    /** What happened at the participant: real executions of the business handler, in order. */
    static final class Participant {
        BarrierState state = BarrierState.EMPTY;
        final List<Phase> effects = new ArrayList<>();
        final Map<Phase, List<ReplyOutcome>> replies = new HashMap<>();
        boolean nullCompensationBeforeAction;

        void deliver(Delivery d) {
            BarrierEvent event = switch (Barrier.decide(state, d.phase())) {
                case BarrierDecision.Execute x -> Barrier.recordOutcome(d.phase(), d.handlerOutcome(), "r");
                case BarrierDecision.Answer a -> a.event();
            };
            if (event.carriesEffects() && event.outcome() == ReplyOutcome.SUCCEEDED) {
                effects.add(d.phase());
            }
            if (event instanceof BarrierEvent.CompensationRecorded c && c.nullCompensation() && state.action() == ActionState.NONE) {
                nullCompensationBeforeAction = true;
            }
            state = Barrier.evolve(state, event);
            replies.computeIfAbsent(d.phase(), p -> new ArrayList<>()).add(event.outcome());
        }
    }

    @Provide
    Arbitrary<List<Delivery>> deliveries() {
        Arbitrary<Delivery> one = Combinators.combine(
                        Arbitraries.of(Phase.class),
                        Arbitraries.of(ReplyOutcome.SUCCEEDED, ReplyOutcome.SUCCEEDED, ReplyOutcome.FAILED, ReplyOutcome.RETRYABLE))
                .as(Delivery::new);
        return one.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 2000)
    void eachOperationTakesEffectAtMostOnce(@ForAll("deliveries") List<Delivery> deliveries) {
        Participant p = run(deliveries);

        assertThat(p.effects.stream().filter(e -> e == Phase.ACTION)).hasSizeLessThanOrEqualTo(1);
        assertThat(p.effects.stream().filter(e -> e == Phase.COMPENSATION)).hasSizeLessThanOrEqualTo(1);
        assertThat(p.effects.stream().filter(e -> e == Phase.CONFIRM)).hasSizeLessThanOrEqualTo(1);
    }

    @Property(tries = 2000)
    void aCompensationUndoesOnlyAnActionThatTookEffectBeforeIt(@ForAll("deliveries") List<Delivery> deliveries) {
        Participant p = run(deliveries);

        int comp = p.effects.indexOf(Phase.COMPENSATION);
        if (comp >= 0) {
            assertThat(p.effects.indexOf(Phase.ACTION)).isBetween(0, comp - 1);
        }
        assertThat(p.effects.contains(Phase.CONFIRM) && p.effects.contains(Phase.COMPENSATION)).as("confirm and cancel both").isFalse();
    }

    @Property(tries = 2000)
    void aNullCompensationMeansTheActionNeverRuns(@ForAll("deliveries") List<Delivery> deliveries) {
        Participant p = run(deliveries);

        if (p.nullCompensationBeforeAction) {
            assertThat(p.effects).doesNotContain(Phase.ACTION);
            assertThat(p.state.action()).isIn(ActionState.NONE, ActionState.REFUSED);
        }
    }

    @Property(tries = 2000)
    void onceAnActionIsSettledEveryLaterDuplicateGetsTheSameAnswer(@ForAll("deliveries") List<Delivery> deliveries) {
        Participant p = run(deliveries);

        List<ReplyOutcome> answers = p.replies.getOrDefault(Phase.ACTION, List.of()).stream()
                .filter(o -> o != ReplyOutcome.RETRYABLE).toList();
        assertThat(answers.stream().distinct()).hasSizeLessThanOrEqualTo(1);
        List<ReplyOutcome> compensations = p.replies.getOrDefault(Phase.COMPENSATION, List.of());
        int firstSuccess = compensations.indexOf(ReplyOutcome.SUCCEEDED);
        if (firstSuccess >= 0 && !p.state.confirmed()) {
            assertThat(compensations.subList(firstSuccess, compensations.size())).containsOnly(ReplyOutcome.SUCCEEDED);
        }
    }

    private static Participant run(List<Delivery> deliveries) {
        Participant p = new Participant();
        deliveries.forEach(p::deliver);
        return p;
    }
}
