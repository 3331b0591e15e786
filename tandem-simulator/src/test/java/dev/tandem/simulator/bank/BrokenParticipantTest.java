package dev.tandem.simulator.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.simulator.CampaignSummary;
import dev.tandem.simulator.FaultPlan;
import dev.tandem.simulator.InvariantViolation;
import dev.tandem.simulator.Simulation;
import org.junit.jupiter.api.Test;

/** The checks must fail when a participant is wrong: these bugs are planted on purpose. */
class BrokenParticipantTest {

    @Test
    void catchesAParticipantThatAppliesARedeliveredDebitTwice() {
        Simulation subject = Simulation.builder(new BankScenario(2, 5, BankScenario.Bug.DUPLICATE_DEBIT))
                .faults(FaultPlan.standard()).build();

        CampaignSummary summary = subject.runSeeds(1, 200, 1);

        assertThat(summary.violationCount()).isPositive();
        InvariantViolation first = summary.violations().getFirst();
        assertThat(first.getMessage()).contains("seed " + first.seed()).contains("replay with");
        assertThat(first.problem()).containsAnyOf("more than once", "not conserved", "moved", "negative");
    }

    @Test
    void catchesAParticipantWithoutBarrierWhoseCompensationOvertakesItsAction() {
        Simulation subject = Simulation.builder(new BankScenario(2, 5, BankScenario.Bug.NO_BARRIER))
                .faults(FaultPlan.standard()).build();

        CampaignSummary summary = subject.runSeeds(1, 300, 1);

        assertThat(summary.violationCount()).isPositive();
        assertThat(summary.violations().getFirst().problem()).containsAnyOf("without a prior", "more than once", "moved", "negative");
    }

    @Test
    void aViolationReplaysIdenticallyFromItsSeed() {
        Simulation subject = Simulation.builder(new BankScenario(2, 5, BankScenario.Bug.DUPLICATE_DEBIT))
                .faults(FaultPlan.standard()).build();
        InvariantViolation first = subject.runSeeds(1, 100, 1).violations().getFirst();

        InvariantViolation again = subject.runSeeds(first.seed(), 1, 1).violations().getFirst();

        assertThat(again.getMessage()).isEqualTo(first.getMessage());
    }
}
