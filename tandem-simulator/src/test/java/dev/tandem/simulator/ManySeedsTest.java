package dev.tandem.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.simulator.bank.BankScenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CI gate of the simulator: ten thousand seeds of the bank model under every fault, within three minutes. */
class ManySeedsTest {

    static final int SEEDS = 10_000;

    @Test
    void tenThousandSeedsOfTheBankModelKeepEveryInvariantWithinThreeMinutes() {
        Simulation subject = Simulation.builder(new BankScenario()).faults(FaultPlan.standard()).build();

        CampaignSummary summary = subject.runSeeds(1, SEEDS, 3);

        System.out.println("simulator: " + summary.describe());
        assertThat(summary.violations()).as(summary.describe()).isEmpty();
        assertThat(summary.committed()).isPositive();
        assertThat(summary.compensated()).isPositive();
        assertThat(summary.crashes()).isPositive();
        assertThat(summary.committed() + summary.compensated()).isEqualTo(summary.transactions());
        assertThat(summary.elapsed()).isLessThan(Duration.ofMinutes(3));
    }
}
