package dev.tandem.saga.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.saga.coordinator.TransactionEvent;
import dev.tandem.saga.definition.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProtocolJsonTest {

    @Test
    void reads_other_instant_forms_with_the_standard_parser() {
        record Stamp(Instant at) {}
        assertThat(ProtocolJson.decode("{\"at\":\"2026-01-01T10:00:00.5Z\"}".getBytes(StandardCharsets.UTF_8), Stamp.class).at())
                .isEqualTo(Instant.parse("2026-01-01T10:00:00.5Z"));
        assertThat(ProtocolJson.decode("{\"at\":\"+12026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8), Stamp.class).at())
                .isEqualTo(Instant.parse("+12026-01-01T00:00:00Z"));
        assertThat(ProtocolJson.decode("{\"at\":1700000000.5}".getBytes(StandardCharsets.UTF_8), Stamp.class).at())
                .isEqualTo(Json.decode("{\"at\":1700000000.5}".getBytes(StandardCharsets.UTF_8), Stamp.class).at());
    }

    @Test
    void writes_the_same_documents_as_the_shared_codec() {
        BranchCommand command = new BranchCommand("tx-1", "transfer", 1, "debit", Phase.ACTION, "debit", 2, "{\"amount\":5}", "coordinator",
                Instant.parse("2026-11-25T09:23:14.120Z"), Instant.parse("2026-11-25T09:23:04.000001Z"));
        byte[] fast = ProtocolJson.encode(command);
        assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(Json.encode(command), StandardCharsets.UTF_8));
        assertThat(ProtocolJson.decode(fast, BranchCommand.class)).isEqualTo(command);
        assertThat(ProtocolJson.decode(Json.encode(command), BranchCommand.class)).isEqualTo(command);

        TransactionEvent.StepRequested requested = new TransactionEvent.StepRequested(1, Phase.ACTION, 2,
                UUID.fromString("01a24e5f-11d4-8afb-b9bc-8620244e27cd"), Instant.parse("2026-11-25T09:23:14.120Z"), Instant.EPOCH);
        byte[] event = ProtocolJson.encode(requested);
        assertThat(new String(event, StandardCharsets.UTF_8)).isEqualTo(new String(Json.encode(requested), StandardCharsets.UTF_8))
                .contains("\"commandId\":\"01a24e5f-11d4-8afb-b9bc-8620244e27cd\"");
        assertThat(ProtocolJson.decode(event, TransactionEvent.StepRequested.class)).isEqualTo(requested);
    }

    @Test
    void refuses_malformed_payloads_like_the_shared_codec() {
        assertThatThrownBy(() -> ProtocolJson.decode("{not json".getBytes(StandardCharsets.UTF_8), BranchCommand.class))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("payload"));
    }
}
