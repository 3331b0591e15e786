package dev.tandem.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.simulator.CampaignSummary;
import dev.tandem.simulator.FaultPlan;
import dev.tandem.simulator.Simulation;
import org.junit.jupiter.api.Test;

/** The order saga and the quickstart's participants under lost, duplicated and reordered messages, crashes and clock jumps. */
class OrderSagaSimulationTest {

    @Test
    void everyOrderEndsCommittedWithItsStockAndChargeOrCompensatedWithNeither() {
        Simulation subject = Simulation.builder(new OrderScenario()).faults(FaultPlan.standard()).build();

        CampaignSummary summary = subject.runSeeds(1, 500, 3);

        System.out.println("quickstart simulation: " + summary.describe());
        assertThat(summary.violations()).as(summary.describe()).isEmpty();
        assertThat(summary.committed()).isPositive();
        assertThat(summary.compensated()).isPositive();
        assertThat(summary.crashes()).isPositive();
        assertThat(summary.committed() + summary.compensated()).isEqualTo(summary.transactions());
    }
}
