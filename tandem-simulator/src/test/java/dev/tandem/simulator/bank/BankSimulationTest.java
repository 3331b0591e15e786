package dev.tandem.simulator.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.simulator.FaultPlan;
import dev.tandem.simulator.Simulation;
import dev.tandem.simulator.SimulationResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BankSimulationTest {

    @Nested
    class WithoutFaults {

        @Test
        void everyTransferEndsCommittedOrCompensatedWithMoneyConserved() {
            Simulation subject = Simulation.builder(new BankScenario()).faults(FaultPlan.none()).build();
            int committed = 0;
            int compensated = 0;
            for (long seed = 1; seed <= 200; seed++) {
                SimulationResult r = subject.run(seed);
                committed += r.committed();
                compensated += r.compensated();
                assertThat(r.committed() + r.compensated()).isEqualTo(r.transactions());
            }
            assertThat(committed).isPositive();
            assertThat(compensated).isPositive();
        }
    }

    @Nested
    class WithStandardFaults {

        @Test
        void invariantsHoldForManySeeds() {
            Simulation subject = Simulation.builder(new BankScenario()).faults(FaultPlan.standard()).build();
            long crashes = 0;
            for (long seed = 1; seed <= 300; seed++) {
                crashes += subject.run(seed).crashes();
            }
            assertThat(crashes).isPositive();
        }
    }
}
