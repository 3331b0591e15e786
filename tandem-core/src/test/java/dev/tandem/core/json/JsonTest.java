package dev.tandem.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JsonTest {

    record Stamped(UUID id, Instant at, String note) {}

    /** What Jackson writes with JavaTimeModule's and databind's own serializers: the documents Json must keep writing. */
    private static final ObjectMapper STANDARD = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @Property(tries = 2_000)
    void writesInstantsAndIdsAsJacksonsOwnWritersDoAndReadsThemBack(@ForAll("stamps") Stamped value) throws Exception {
        byte[] ours = Json.encode(value);

        assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(STANDARD.writeValueAsString(value));
        assertThat(Json.decode(ours, Stamped.class)).isEqualTo(value);
    }

    @Provide
    Arbitrary<Stamped> stamps() {
        Arbitrary<Instant> instants = Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L)
                .flatMap(s -> Arbitraries.of(0, 1, 999, 120_000_000, 123_456_789, 1_000, 500_000)
                        .map(n -> Instant.ofEpochSecond(s, n)));
        Arbitrary<UUID> ids = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
        return Combinators.combine(ids, instants, Arbitraries.strings().ofMaxLength(8)).as(Stamped::new);
    }
}
