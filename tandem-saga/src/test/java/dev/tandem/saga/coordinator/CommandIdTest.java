package dev.tandem.saga.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.saga.definition.Phase;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Command ids: stable for one attempt, distinct across attempts, ordered by the transaction's start. */
class CommandIdTest {

    private static final Instant START = Instant.parse("2026-12-02T10:15:30.123Z");

    @Test
    void theSameAttemptAlwaysGetsTheSameIdAndEveryOtherAttemptAnother() {
        assertThat(TransactionDecider.commandId("tx-1", START, 0, Phase.ACTION, 1))
                .isEqualTo(TransactionDecider.commandId("tx-1", START, 0, Phase.ACTION, 1));
        Set<UUID> ids = new HashSet<>();
        for (String tx : new String[] {"tx-1", "tx-2"}) {
            for (int step = 0; step < 3; step++) {
                for (Phase phase : Phase.values()) {
                    for (int attempt = 1; attempt <= 4; attempt++) {
                        ids.add(TransactionDecider.commandId(tx, START, step, phase, attempt));
                    }
                }
            }
        }
        assertThat(ids).hasSize(2 * 3 * Phase.values().length * 4);
    }

    @Test
    void isAVersionEightUuidWhoseFirstBitsAreTheStartInMilliseconds() {
        UUID id = TransactionDecider.commandId("tx-1", START, 1, Phase.COMPENSATION, 2);
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(START.toEpochMilli());
    }

    @Test
    void idsOfLaterTransactionsSortAfterThoseOfEarlierOnes() {
        UUID earlier = TransactionDecider.commandId("zzz", START, 3, Phase.CONFIRM, 9);
        UUID later = TransactionDecider.commandId("aaa", START.plusMillis(1), 0, Phase.ACTION, 1);
        assertThat(later).isGreaterThan(earlier);
    }
}
