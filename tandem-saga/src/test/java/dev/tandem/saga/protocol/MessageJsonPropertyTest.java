package dev.tandem.saga.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.json.Json;
import dev.tandem.saga.definition.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming codec of commands and replies against data binding, the reference: the same bytes written, the same
 * values read, and documents outside the plain form read exactly as data binding reads them.
 */
class MessageJsonPropertyTest {

    /** The participant's stored reply, as data binding would write it. */
    record ReplyWithMark(String transactionId, int step, Phase phase, int attempt, ReplyOutcome outcome, String reason, String mark) {}

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), // any char: quotes, controls, surrogates
                Arbitraries.strings().alpha().numeric().ofMaxLength(20), Arbitraries.just(""), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-62_167_219_200L, 253_402_300_799L).flatMap(s -> Arbitraries.integers().between(0, 999_999_999)
                        .map(n -> Instant.ofEpochSecond(s, n))),
                Arbitraries.longs().between(1_700_000_000_000L, 1_900_000_000_000L).map(Instant::ofEpochMilli),
                Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<BranchCommand> commands() {
        Arbitrary<String> t = texts();
        Arbitrary<Integer> n = Arbitraries.integers();
        Arbitrary<Phase> phase = Arbitraries.of(Phase.values()).injectNull(0.1);
        return Combinators.combine(t, t, n, t, phase, t, n, t).flatAs((id, def, step, name, ph, op, attempt, input) ->
                Combinators.combine(texts(), instants(), instants())
                        .as((replyTo, timeoutAt, at) -> new BranchCommand(id, def, step, name, ph, op, attempt, input, replyTo, timeoutAt, at)));
    }

    @Provide
    Arbitrary<BranchReply> replies() {
        return Combinators.combine(texts(), Arbitraries.integers(), Arbitraries.of(Phase.values()).injectNull(0.1), Arbitraries.integers(),
                Arbitraries.of(ReplyOutcome.values()).injectNull(0.1), texts()).as(BranchReply::new);
    }

    @Property(tries = 2_000)
    void writesACommandAsDataBindingDoesAndReadsItBack(@ForAll("commands") BranchCommand command) {
        byte[] fast = ProtocolJson.encode(command);

        assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(Json.encode(command), StandardCharsets.UTF_8));
        assertThat(ProtocolJson.decode(fast, BranchCommand.class)).isEqualTo(command);
        assertThat(MessageJson.readCommand(fast, Json.mapper().getFactory())).as("read by the streaming path, not the fallback")
                .isEqualTo(command.timeoutAt() == null || inFastRange(command.timeoutAt()) ? (inFastRange(command.at()) ? command : null) : null);
    }

    @Property(tries = 2_000)
    void writesAReplyAsDataBindingDoesAndReadsItBack(@ForAll("replies") BranchReply reply, @ForAll("texts") String mark) {
        byte[] plain = ProtocolJson.encode(reply);
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(new String(Json.encode(reply), StandardCharsets.UTF_8));
        assertThat(ProtocolJson.decode(plain, BranchReply.class)).isEqualTo(reply);
        assertThat(MessageJson.readReply(plain, Json.mapper().getFactory())).isEqualTo(reply);

        if (mark != null) {
            byte[] marked = ProtocolJson.encodeReply(reply, mark);
            ReplyWithMark reference = new ReplyWithMark(reply.transactionId(), reply.step(), reply.phase(), reply.attempt(), reply.outcome(),
                    reply.reason(), mark);
            assertThat(new String(marked, StandardCharsets.UTF_8)).isEqualTo(new String(Json.encode(reference), StandardCharsets.UTF_8));
            assertThat(ProtocolJson.decode(marked, BranchReply.class)).as("a stored barrier record reads as the reply").isEqualTo(reply);
            assertThat(Json.decode(marked, ReplyWithMark.class)).isEqualTo(reference);
        }
    }

    /** Instants the streaming path writes and reads itself (the rest go through java.time, as before). */
    private static boolean inFastRange(Instant at) {
        return at == null || (at.getEpochSecond() >= -62_167_219_200L && at.getEpochSecond() < 253_402_300_800L);
    }

    @Example
    void readsDocumentsOutsideThePlainFormAsDataBindingDoes() {
        String[] documents = {
            "{\"transactionId\":\"t\",\"step\":\"3\",\"attempt\":null,\"phase\":\"ACTION\"}", // a number as text, a null number
            "{\"transactionId\":7,\"step\":1,\"at\":1700000000.5,\"timeoutAt\":\"2026-01-01T10:00:00+02:00\"}", // other instant forms
            "{\"step\":1,\"unknown\":{\"nested\":[1,2,{\"x\":null}]},\"operation\":\"debit\"} ", // unknown fields, trailing space
            "{\"step\":4294967296}", "{\"step\":1.0}", "{}", "{\"step\":1}{\"step\":2}"};
        for (String document : documents) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            Object expected;
            try {
                expected = Json.decode(bytes, BranchCommand.class);
            } catch (RuntimeException e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = ProtocolJson.decode(bytes, BranchCommand.class);
            } catch (RuntimeException e) {
                actual = e.getClass();
            }
            assertThat(actual).as(document).isEqualTo(expected);
        }
    }
}
