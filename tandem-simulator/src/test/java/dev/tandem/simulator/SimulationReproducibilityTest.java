package dev.tandem.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.simulator.bank.BankScenario;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationReproducibilityTest {

    private static Simulation simulation() {
        return Simulation.builder(new BankScenario()).faults(FaultPlan.standard()).build();
    }

    @Test
    void theSameSeedReplaysTheIdenticalTrace() {
        for (long seed : new long[] {1, 24, 977, 123_456_789L}) {
            SimulationResult first = simulation().run(seed);
            SimulationResult second = simulation().run(seed);

            assertThat(second).isEqualTo(first);
            assertThat(second.digest()).isEqualTo(first.digest());
        }
    }

    @Test
    void differentSeedsRunDifferentTraces() {
        Simulation subject = simulation();
        Set<Long> digests = new HashSet<>();
        for (long seed = 1; seed <= 50; seed++) {
            digests.add(subject.run(seed).digest());
        }

        assertThat(digests).hasSize(50);
    }
}
