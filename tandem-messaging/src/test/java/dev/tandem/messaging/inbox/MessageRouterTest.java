package dev.tandem.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.Metadata;
import dev.tandem.messaging.MalformedMessageException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.UnknownMessageTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A message router")
class MessageRouterTest {

    record Debit(long amount) {}

    private final AtomicLong debited = new AtomicLong();
    private final MessageRouter subject = new MessageRouter("bank-b").on("Debit", Debit.class, (m, d) -> {
        debited.addAndGet(d.amount());
        return Commit.builder();
    });

    private static Message message(String type, String contentType, String body) {
        return new Message(UUID.randomUUID(), "a", "b", "k", 1, Instant.EPOCH, type, contentType, body.getBytes(StandardCharsets.UTF_8), Metadata.EMPTY);
    }

    @Test
    void handsADecodedPayloadToTheHandlerOfItsType() throws Exception {
        subject.handle(message("Debit", "application/json", "{\"amount\":42}"));

        assertThat(debited).hasValue(42);
    }

    @Test
    void refusesAnUnknownTypeWithATypedError() {
        assertThatThrownBy(() -> subject.handle(message("Credit", "application/json", "{}")))
                .isInstanceOf(UnknownMessageTypeException.class).hasMessageContaining("Credit").hasMessageContaining("bank-b");
    }

    @Test
    void refusesAnUndecodablePayloadOrForeignContentTypeAsMalformed() {
        assertThatThrownBy(() -> subject.handle(message("Debit", "application/json", "{\"amount\":")))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> subject.handle(message("Debit", "text/plain", "42")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("text/plain");
        assertThat(Handling.reasonFor(new MalformedMessageException("x"))).hasToString("UNDECODABLE");
    }

    @Test
    void deduplicatesAMessageOnlyWhenTheHandlerOfItsTypeDoes() {
        MessageHandler selfDeduplicating = new MessageHandler() {
            @Override
            public Commit.Builder handle(Message message) {
                return Commit.builder();
            }

            @Override
            public boolean deduplicates(Message message) {
                return true;
            }
        };
        subject.on("Answer", selfDeduplicating);

        assertThat(subject.deduplicates(message("Answer", "application/json", "{}"))).isTrue();
        assertThat(subject.deduplicates(message("Debit", "application/json", "{}"))).as("a plain handler").isFalse();
        assertThat(subject.deduplicates(message("Credit", "application/json", "{}"))).as("no handler").isFalse();
    }

    @Test
    void refusesASecondHandlerForOneType() {
        assertThatThrownBy(() -> subject.on("Debit", m -> Commit.builder())).isInstanceOf(InvalidInputException.class);
    }
}
