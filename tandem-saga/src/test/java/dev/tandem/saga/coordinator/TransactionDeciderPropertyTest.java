package dev.tandem.saga.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.definition.TransactionKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;

/** Whatever drops, duplicates, reorders, transient failures and delays happen, every transaction ends in exactly one outcome. */
class TransactionDeciderPropertyTest {

    private final TransactionDecider decider = new TransactionDecider(Definitions.registry());

    @Property(tries = 300)
    void everyTransactionEndsInExactlyOneFinalOutcome(@ForAll("definitions") String definition, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 120) int chaos) {
        TransactionWorld world = play(definition, seed, chaos);
        Statistics.collect(definition, world.run.tx().status(), world.operatorRetries > 0 ? "operator retried" : "no operator");

        assertThat(world.run.tx().status().isFinal()).as("final after healing: %s", world.run.tx()).isTrue();
        long outcomes = world.run.events.stream().filter(e -> e instanceof TransactionEvent.Committed
                || e instanceof TransactionEvent.Compensated || e instanceof TransactionEvent.OperatorResolved).count();
        assertThat(outcomes).isEqualTo(1);
    }

    @Property(tries = 300)
    void committedMeansEveryActionTookEffectOnceAndNothingWasUndone(@ForAll("definitions") String definition, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 120) int chaos) {
        TransactionWorld world = play(definition, seed, chaos);

        if (world.run.tx().status() == Status.COMMITTED) {
            boolean tcc = world.run.tx().definition().kind() == TransactionKind.TCC;
            for (int[] e : world.effects) {
                assertThat(e[Phase.ACTION.ordinal()]).isEqualTo(1);
                assertThat(e[Phase.COMPENSATION.ordinal()]).isZero();
                assertThat(e[Phase.CONFIRM.ordinal()]).isEqualTo(tcc ? 1 : 0);
            }
        }
    }

    @Property(tries = 300)
    void compensatedMeansEveryEffectWasUndoneExactlyOnceAndOnlyAfterIt(@ForAll("definitions") String definition,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int chaos) {
        TransactionWorld world = play(definition, seed, chaos);

        if (world.run.tx().status() == Status.COMPENSATED) {
            for (int step = 0; step < world.effects.length; step++) {
                int[] e = world.effects[step];
                boolean compensable = world.run.tx().stepDefinition(step).compensation() != null;
                assertThat(e[Phase.ACTION.ordinal()]).isLessThanOrEqualTo(1);
                assertThat(e[Phase.COMPENSATION.ordinal()]).isEqualTo(compensable ? e[Phase.ACTION.ordinal()] : 0);
                assertThat(e[Phase.CONFIRM.ordinal()]).isZero();
                if (e[Phase.COMPENSATION.ordinal()] == 1) {
                    assertThat(world.effectOrder.indexOf(step + ":ACTION"))
                            .isLessThan(world.effectOrder.indexOf(step + ":COMPENSATION"));
                }
            }
        }
    }

    @Property(tries = 300)
    void compensationIsRequestedOnlyForStepsWhoseActionWasRequested(@ForAll("definitions") String definition,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int chaos) {
        TransactionWorld world = play(definition, seed, chaos);

        for (TransactionEvent.StepRequested r : world.run.requests(Phase.COMPENSATION)) {
            int index = world.run.events.indexOf(r);
            assertThat(world.run.events.subList(0, index)).anySatisfy(e -> assertThat(e)
                    .isInstanceOfSatisfying(TransactionEvent.StepRequested.class, a -> {
                        assertThat(a.step()).isEqualTo(r.step());
                        assertThat(a.phase()).isEqualTo(Phase.ACTION);
                    }));
        }
    }

    @Property(tries = 300)
    void replayingTheEventsRebuildsTheSameStateAndTheDecisionsAreDeterministic(@ForAll("definitions") String definition,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int chaos) {
        TransactionWorld first = play(definition, seed, chaos);
        TransactionWorld second = play(definition, seed, chaos);

        assertThat(decider.replay(first.run.events)).isEqualTo(first.run.state);
        assertThat(second.run.events).isEqualTo(first.run.events);
    }

    @Property(tries = 200)
    void aStartWithAnyOtherInputIsRejectedAndTheSameInputIsANoOp(@ForAll @StringLength(max = 20) @Chars({'a', 'b', '1'}) String input) {
        Run run = new Run(decider);
        run.start("tx", "transfer", "{\"v\":\"a\"}");

        if (input.equals("{\"v\":\"a\"}")) {
            assertThat(run.start("tx", "transfer", input)).isEmpty();
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.start("tx", "transfer", input))
                    .isInstanceOf(TransactionRejectedException.class);
        }
        assertThat(run.events).hasSize(2);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> definitions() {
        return net.jqwik.api.Arbitraries.of("transfer", "fan-out", "booking");
    }

    private TransactionWorld play(@From("definitions") String definition, long seed, int chaos) {
        TransactionWorld world = new TransactionWorld(decider, definition, seed);
        world.play(chaos);
        return world;
    }
}
