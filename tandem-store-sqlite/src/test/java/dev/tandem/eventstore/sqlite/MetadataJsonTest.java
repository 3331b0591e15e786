package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {

    @Nested
    class RoundTrip {

        @Test
        void keepsEveryFieldIncludingHeadersWithCharactersJsonMustEscape() {
            Metadata m = new Metadata("corr \"1\"", "cause\\1", "tx-é", Map.of("traceparent", "00-abc-01", "quote", "\"x\""));

            assertThat(MetadataJson.read(MetadataJson.write(m))).isEqualTo(m);
        }

        @Test
        void leavesOutAbsentPartsAndReadsThemBackAsAbsent() {
            Metadata m = Metadata.EMPTY.withTransactionId("tx-1");

            String json = MetadataJson.write(m);

            assertThat(json).isEqualTo("{\"transactionId\":\"tx-1\"}");
            assertThat(MetadataJson.read(json)).isEqualTo(m);
        }
    }

    @Nested
    class Compatibility {

        @Test
        void readsWhatTheSharedJsonMapperWritesAndTheOtherWayRound() throws Exception {
            Metadata m = new Metadata("c", null, "t", Map.of("k", "v"));

            assertThat(MetadataJson.read(Json.mapper().writeValueAsString(m))).isEqualTo(m);
            assertThat(Json.mapper().readValue(MetadataJson.write(m), Metadata.class)).isEqualTo(m);
        }

        @Test
        void refusesTextThatIsNotAMetadataObject() {
            assertThatThrownBy(() -> MetadataJson.read("[1,2]")).isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("[1,2]");
        }
    }
}
