package dev.tandem.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Metadata;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void metadataCarriesTheTraceAndFallsBackToTheTransactionAsCorrelation() {
        Metadata m = TraceContext.ofTrace(PARENT, "congo=t61rcWkgMzE").metadata("tx-1", "msg-9");

        assertThat(m.correlationId()).isEqualTo("tx-1");
        assertThat(m.causationId()).isEqualTo("msg-9");
        assertThat(m.transactionId()).isEqualTo("tx-1");
        assertThat(m.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(Message.TRACEPARENT, PARENT, TraceContext.TRACESTATE, "congo=t61rcWkgMzE"));
        assertThat(new TraceContext("order-7", null, null).metadata("tx-1", null))
                .isEqualTo(new Metadata("order-7", null, "tx-1", Map.of()));
        assertThat(TraceContext.NONE.metadata("tx-1", null)).isEqualTo(new Metadata("tx-1", null, "tx-1", Map.of()));
    }

    @Test
    void readBackFromMetadataItWrote() {
        TraceContext context = new TraceContext("order-7", PARENT, "a=1");

        assertThat(TraceContext.of(context.metadata("tx-1", "m"))).isEqualTo(context);
        assertThat(TraceContext.of(Metadata.EMPTY)).isSameAs(TraceContext.NONE);
    }

    @Test
    void aMalformedTraceHeaderOnAReceivedMessageIsDroppedNotRefused() {
        Metadata received = new Metadata("c", null, null, Map.of(Message.TRACEPARENT, "not-a-trace", TraceContext.TRACESTATE, "a=1"));

        assertThat(TraceContext.of(received)).isEqualTo(new TraceContext("c", null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-add"})
    void acceptsW3cTraceparents(String value) {
        assertThat(TraceContext.isTraceparent(value)).isTrue();
        assertThat(TraceContext.ofTrace(value, null).traceparent()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"})
    void refusesWhatIsNotOneNamingTheProblem(String value) {
        assertThat(TraceContext.isTraceparent(value)).isFalse();
        assertThatThrownBy(() -> TraceContext.ofTrace(value, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("trace.traceparent")
                .hasMessageContaining("is not a W3C traceparent");
    }

    @Test
    void refusesATracestateWithoutTraceOrTooLongOrNotPrintable() {
        assertThatThrownBy(() -> TraceContext.ofTrace(null, "a=1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("without a traceparent");
        assertThatThrownBy(() -> TraceContext.ofTrace(PARENT, "a=" + "x".repeat(TraceContext.MAX_TRACESTATE_LENGTH)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("trace.tracestate");
        assertThatThrownBy(() -> TraceContext.ofTrace(PARENT, "a=\n1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new TraceContext(" ", null, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("trace.correlationId");
    }

    @Property(tries = 300)
    void anyWellFormedVersion00IsAcceptedAndRoundTrips(@ForAll("hex32") String traceId, @ForAll("hex16") String parentId,
            @ForAll("hex2") String flags) {
        String value = "00-" + traceId + "-" + parentId + "-" + flags;
        boolean zero = traceId.chars().allMatch(c -> c == '0') || parentId.chars().allMatch(c -> c == '0');
        assertThat(TraceContext.isTraceparent(value)).isEqualTo(!zero);
        if (!zero) {
            assertThat(TraceContext.of(TraceContext.ofTrace(value, null).metadata(null, null)).traceparent()).isEqualTo(value);
        }
    }

    @Provide
    Arbitrary<String> hex32() {
        return hex(32);
    }

    @Provide
    Arbitrary<String> hex16() {
        return hex(16);
    }

    @Provide
    Arbitrary<String> hex2() {
        return hex(2);
    }

    private static Arbitrary<String> hex(int length) {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(length);
    }
}
