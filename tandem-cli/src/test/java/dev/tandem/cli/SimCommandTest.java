package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimCommandTest {

    @Test
    void exitsZeroWhenEverySeedKeepsTheInvariants() {
        assertThat(Main.run("sim", "--seeds", "30", "--faults", "drop=0.1,crash=0.02")).isZero();
    }

    @Test
    void exitsOneWhenAPlantedBugBreaksAnInvariant() {
        assertThat(Main.run("sim", "--seeds", "300", "--plant-bug", "DUPLICATE_DEBIT", "--show", "1", "--trace", "5")).isEqualTo(1);
    }

    @Test
    void rejectsAMalformedFaultPlanAsAUsageError() {
        assertThat(Main.run("sim", "--faults", "lose=0.5")).isEqualTo(2);
    }
}
