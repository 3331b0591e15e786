package dev.tandem.saga.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Step numbers across stages: the engine looks a step up by number on every reply. */
class TransactionDefinitionStepsTest {

    private static final TransactionDefinition FAN_OUT = TransactionDefinition.saga("fan-out", 1)
            .step("reserve", s -> s.participant("stock").action("reserve").compensation("release"))
            .parallel(g -> g
                    .step("charge", s -> s.participant("payments").action("charge").compensation("refund"))
                    .step("ship", s -> s.participant("shipping").action("ship").compensation("recall")))
            .step("notify", s -> s.participant("mail").action("send"))
            .build();

    @Test
    void aStepByNumberIsTheStepAtThatPlaceInTheFlatList() {
        assertThat(FAN_OUT.stepCount()).isEqualTo(4).isEqualTo(FAN_OUT.steps().size());
        for (int i = 0; i < FAN_OUT.stepCount(); i++) {
            assertThat(FAN_OUT.step(i)).isSameAs(FAN_OUT.steps().get(i));
        }
        assertThat(FAN_OUT.stageOfSteps()).containsExactly(0, 1, 1, 2);
    }

    @Test
    void aNumberOutsideTheStepsIsRefusedNamingTheDefinition() {
        assertThatThrownBy(() -> FAN_OUT.step(4)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("fan-out v1, which has 4 steps");
        assertThatThrownBy(() -> FAN_OUT.step(-1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("step -1");
    }
}
