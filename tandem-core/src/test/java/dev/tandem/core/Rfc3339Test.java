package dev.tandem.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written UTC form agrees with {@code java.time} wherever it answers, and answers for all Tandem writes. */
class Rfc3339Test {

    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_10000 = 253_402_300_800L;

    @Property(tries = 2_000)
    void formatsAsInstantToStringAndParsesItBack(@ForAll("instants") Instant instant) {
        String text = Rfc3339.formatUtc(instant);

        assertThat(text).isEqualTo(instant.toString());
        assertThat(Rfc3339.parseUtc(text)).isEqualTo(instant);
    }

    @Property(tries = 2_000)
    void formatsAnyInstantAsInstantToString(@ForAll("anyInstants") Instant instant) {
        assertThat(Rfc3339.formatUtc(instant)).isEqualTo(instant.toString());
    }

    @Property(tries = 2_000)
    void answersOnlyWhatTheGeneralParserAnswers(@ForAll("nearlyTimestamps") String text) {
        Instant fast = Rfc3339.parseUtc(text);
        Instant general;
        try {
            general = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            general = null;
        }

        if (fast != null) {
            assertThat(fast).isEqualTo(general);
        }
    }

    @Example
    void leavesOtherFormsToTheGeneralParser() {
        assertThat(Rfc3339.parseUtc("2026-11-25T07:30:00+01:00")).isNull();
        assertThat(Rfc3339.parseUtc("2026-11-25t06:30:00z")).isNull();
        assertThat(Rfc3339.parseUtc("2026-02-29T00:00:00Z")).isNull();
        assertThat(Rfc3339.parseUtc("2026-11-25T06:30:00.Z")).isNull();
        assertThat(Rfc3339.parseUtc("2026-11-25T06:30:00.1234567891Z")).isNull();
        assertThat(Rfc3339.parseUtc("2026-11-25T06:30:00.5Z")).isEqualTo(Instant.parse("2026-11-25T06:30:00.500Z"));
    }

    @Example
    void formatsYearsOutsideFourDigitsAsJavaTimeDoes() {
        Instant far = Instant.ofEpochSecond(YEAR_10000 + 1, 7);

        assertThat(Rfc3339.formatUtc(far)).isEqualTo(far.toString());
        assertThat(Rfc3339.formatUtc(Instant.ofEpochSecond(YEAR_0 - 1))).isEqualTo(Instant.ofEpochSecond(YEAR_0 - 1).toString());
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000), Arbitraries.integers().between(0, 999_999_999));
        return Arbitraries.longs().between(YEAR_0, YEAR_10000 - 1).flatMap(s -> nanos.map(n -> Instant.ofEpochSecond(s, n)));
    }

    /** Instants of any year java.time supports, most of them outside 0–9999. */
    @Provide
    Arbitrary<Instant> anyInstants() {
        return Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }

    /** Canonical timestamps with one character replaced, dropped or added: near misses of every kind. */
    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<String> canonical = instants().map(Instant::toString);
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', 'T', 'Z', '.', '+', 'z', ' ');
        return Arbitraries.oneOf(canonical, canonical.flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(i -> chars.flatMap(c -> Arbitraries.of(
                        s.substring(0, i) + c + s.substring(i + 1),
                        s.substring(0, i) + s.substring(i + 1),
                        s.substring(0, i) + c + s.substring(i))))));
    }
}
