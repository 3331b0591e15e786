package dev.tandem.saga.coordinator;

import dev.tandem.saga.coordinator.TransactionEvent.StepRequested;
import dev.tandem.saga.definition.Phase;
import dev.tandem.saga.participant.Barrier;
import dev.tandem.saga.participant.BarrierDecision;
import dev.tandem.saga.participant.BarrierEvent;
import dev.tandem.saga.participant.BarrierState;
import dev.tandem.saga.protocol.ReplyOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One transaction, its participants (each branch behind the real barrier) and a lossy network, driven by a seed:
 * messages are dropped, duplicated and reordered, handlers fail transiently, time jumps. Then the faults heal.
 */
final class TransactionWorld {

    /** A message in flight: a command to a branch, or a reply to the coordinator. */
    record Envelope(boolean command, int step, Phase phase, int attempt, ReplyOutcome outcome) {}

    final Run run;
    final Random random;
    final String definition;
    final List<Envelope> network = new ArrayList<>();
    final BarrierState[] barriers;
    final ReplyOutcome[] businessOutcome;
    /** Per step: [action effects, compensation effects, confirm effects] that really ran. */
    final int[][] effects;
    final List<String> effectOrder = new ArrayList<>();
    boolean healed;
    int operatorRetries;

    TransactionWorld(TransactionDecider decider, String definition, long seed) {
        this.run = new Run(decider);
        this.random = new Random(seed);
        this.definition = definition;
        int steps = decider.registry().latest(definition).steps().size();
        barriers = new BarrierState[steps];
        businessOutcome = new ReplyOutcome[steps];
        effects = new int[steps][3];
        for (int i = 0; i < steps; i++) {
            barriers[i] = BarrierState.EMPTY;
            businessOutcome[i] = random.nextInt(10) < 8 ? ReplyOutcome.SUCCEEDED : ReplyOutcome.FAILED;
        }
    }

    void play(int chaosSteps) {
        send(run.start("tx", definition, "{}"));
        for (int i = 0; i < chaosSteps && !run.tx().status().isFinal(); i++) {
            chaosStep();
        }
        healed = true;
        for (int i = 0; i < 10_000 && !run.tx().status().isFinal(); i++) {
            if (run.tx().status() == Status.STUCK) {
                operatorRetries++;
                send(run.apply(new TransactionCommand.OperatorRetry("ops", "healed", run.now)));
            } else if (!network.isEmpty()) {
                deliver(network.removeFirst());
            } else {
                send(run.advance(Duration.ofSeconds(1)));
            }
        }
    }

    private void chaosStep() {
        int dice = random.nextInt(10);
        if (dice < 6 && !network.isEmpty()) {
            Envelope e = network.get(random.nextInt(network.size()));
            if (random.nextInt(4) != 0) {
                network.remove(e); // else: delivered and kept, i.e. duplicated
            }
            deliver(e);
        } else if (dice < 7 && !network.isEmpty()) {
            network.remove(random.nextInt(network.size()));
        } else if (run.tx().status() == Status.STUCK && random.nextBoolean()) {
            operatorRetries++;
            send(run.apply(new TransactionCommand.OperatorRetry("ops", "try again", run.now)));
        } else {
            send(run.advance(Duration.ofMillis(random.nextInt(3000))));
        }
    }

    private void deliver(Envelope e) {
        if (!e.command()) {
            send(run.reply(e.step(), e.phase(), e.attempt(), e.outcome()));
            return;
        }
        BarrierEvent event = switch (Barrier.decide(barriers[e.step()], e.phase())) {
            case BarrierDecision.Execute x -> Barrier.recordOutcome(e.phase(), handler(e), "scripted");
            case BarrierDecision.Answer a -> a.event();
        };
        if (event.carriesEffects() && event.outcome() == ReplyOutcome.SUCCEEDED) {
            effects[e.step()][e.phase().ordinal()]++;
            effectOrder.add(e.step() + ":" + e.phase());
        }
        barriers[e.step()] = Barrier.evolve(barriers[e.step()], event);
        network.add(new Envelope(false, e.step(), e.phase(), e.attempt(), event.outcome()));
    }

    private ReplyOutcome handler(Envelope e) {
        if (!healed && random.nextInt(5) == 0) {
            return ReplyOutcome.RETRYABLE;
        }
        return e.phase() == Phase.ACTION ? businessOutcome[e.step()] : ReplyOutcome.SUCCEEDED;
    }

    private void send(List<TransactionEvent> events) {
        for (TransactionEvent ev : events) {
            if (ev instanceof StepRequested r) {
                network.add(new Envelope(true, r.step(), r.phase(), r.attempt(), null));
            }
        }
    }
}
