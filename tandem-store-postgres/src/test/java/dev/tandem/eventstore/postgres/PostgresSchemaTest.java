package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresSchemaTest {

    @Test
    void eachSchemaNotifiesOnAChannelOfItsOwn() {
        assertThat(PostgresSchema.channel("bank_a")).isEqualTo("tandem_events_bank_a");
        assertThat(PostgresSchema.channel("bank_b")).isNotEqualTo(PostgresSchema.channel("bank_a"));
    }

    @Test
    void aChannelNeverExceedsPostgresIdentifierLengthAndStaysDistinctForLongNames() {
        String longest = "s".repeat(63);
        String sibling = "s".repeat(62) + "t";
        assertThat(PostgresSchema.channel(longest)).hasSize(63).startsWith("tandem_events_" + "s".repeat(40) + "_")
                .matches("[a-z0-9_]+");
        assertThat(PostgresSchema.channel(sibling)).hasSize(63).isNotEqualTo(PostgresSchema.channel(longest));
        String fits = "x".repeat(63 - "tandem_events_".length());
        assertThat(PostgresSchema.channel(fits)).isEqualTo("tandem_events_" + fits);
        assertThat(PostgresSchema.channel(fits + "y")).hasSize(63).endsWith(String.format("%08x", PostgresSchema.lockKey(fits + "y")));
    }
}
