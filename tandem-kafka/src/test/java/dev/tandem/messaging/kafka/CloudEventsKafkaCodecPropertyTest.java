package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.Message;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every valid message survives encode → decode unchanged. */
class CloudEventsKafkaCodecPropertyTest {

    @Property(tries = 200)
    void everyMessageRoundTrips(@ForAll("messages") Message message) {
        var record = CloudEventsKafkaCodec.encode("tandem." + message.destination(), message);

        Message decoded = CloudEventsKafkaCodec.decode(message.destination(), CloudEventsKafkaCodecTest.delivered(record, 0));

        assertThat(decoded).isEqualTo(message);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff')
                .ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank());
        Arbitrary<String> optionalText = text.injectNull(0.3);
        Arbitrary<Instant> times = Arbitraries.longs().between(0, 4_102_444_800L)
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), text).ofMaxSize(3);
        Arbitrary<Metadata> metadata = Combinators.combine(optionalText, optionalText, optionalText, headers)
                .as(Metadata::new);
        return Combinators.combine(
                        Arbitraries.create(UUID::randomUUID), text, text, text,
                        Arbitraries.longs().greaterOrEqual(0), times, text,
                        Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(200), metadata).as(Map::entry))
                .as((id, source, key, type, sequence, time, contentType, content) ->
                        new Message(id, source, "dest-" + Math.abs(key.hashCode() % 5), key, sequence, time, type,
                                contentType, content.getKey(), content.getValue()));
    }
}
