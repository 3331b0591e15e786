package dev.tandem.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void parsesOverridesOnTopOfTheStandardPlan() {
        FaultPlan subject = FaultPlan.parse("drop=0.2, crash=0, maxLatency=50");

        assertThat(subject.drop()).isEqualTo(0.2);
        assertThat(subject.crash()).isZero();
        assertThat(subject.maxLatency()).isEqualTo(Duration.ofMillis(50));
        assertThat(subject.duplicate()).isEqualTo(FaultPlan.standard().duplicate());
    }

    @Test
    void parsesNoneAsAFaultFreePlan() {
        assertThat(FaultPlan.parse("none")).isEqualTo(FaultPlan.none());
    }

    @Test
    void rejectsUnknownKeysAndImpossibleProbabilities() {
        assertThatThrownBy(() -> FaultPlan.parse("lose=0.1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lose");
        assertThatThrownBy(() -> FaultPlan.parse("drop=1.5"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("drop")
                .hasMessageContaining("1.5");
    }
}
