package dev.tandem.eventstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {

    /** jqwik runs properties of the top-level class only (JUnit's @Nested classes are Jupiter's). */
    @Property(tries = 2_000)
    void writesWhatJacksonWritesOrLeavesItToJackson(@ForAll("metadata") Metadata m) {
        String plain = MetadataJson.writePlain(m);

        if (plain != null) {
            assertThat(plain).isEqualTo(MetadataJson.writeEscaped(m));
        }
        assertThat(MetadataJson.read(MetadataJson.write(m))).isEqualTo(m);
    }

    @Provide
    Arbitrary<Metadata> metadata() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20));
        Arbitrary<String> optional = text.injectNull(0.3);
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(text, text).ofMaxSize(3);
        return Combinators.combine(optional, optional, optional, headers).as((c, d, t, h) -> {
            try {
                return new Metadata(c, d, t, h);
            } catch (InvalidInputException e) {
                return Metadata.EMPTY; // control characters and blank text are refused before they reach a store
            }
        });
    }

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
    class WithoutAGenerator {

        @Test
        void takesIdsWithoutEscapesAndLeavesQuotesAndHeadersToJackson() {
            assertThat(MetadataJson.writePlain(new Metadata("c-1", "d-2", "t-é", Map.of())))
                    .isEqualTo("{\"correlationId\":\"c-1\",\"causationId\":\"d-2\",\"transactionId\":\"t-é\"}");
            assertThat(MetadataJson.writePlain(new Metadata(null, "d", null, Map.of()))).isEqualTo("{\"causationId\":\"d\"}");
            assertThat(MetadataJson.writePlain(new Metadata("c", null, null, Map.of("traceparent", "00-ab-01")))).isNull();
            assertThat(MetadataJson.writePlain(new Metadata("say \"hi\"", null, null, Map.of()))).isNull();
            assertThat(MetadataJson.writePlain(new Metadata(null, null, "t", Map.of("k", "a\\b")))).isNull();
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
