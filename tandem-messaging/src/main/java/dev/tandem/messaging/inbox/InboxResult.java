package dev.tandem.messaging.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StreamWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What an inbox entry's {@code result} holds (JSON): the replies the handling sent (its routed
 * events), so a redelivered request can get them again, or that the message was parked.
 *
 * @param parked the message was parked as a dead letter, not handled
 * @param replies where each reply event was written; {@code version} is 0 when the write's expected
 *     version did not fix it (the reply is then searched near the stream's end)
 */
record InboxResult(boolean parked, List<Reply> replies) {

    record Reply(String stream, UUID id, long version) {}

    private static final ObjectWriter WRITER = Json.mapper().writerFor(InboxResult.class);

    static final byte[] PARKED = Json.encode(new InboxResult(true, List.of()));

    /** The result for a commit: its routed events, or null when it sends none. */
    static byte[] of(Commit c) {
        List<Reply> replies = new ArrayList<>();
        if (c != null) {
            for (StreamWrite w : c.writes()) {
                long base = switch (w.expected()) {
                    case ExpectedVersion.Exactly e -> e.version();
                    case ExpectedVersion.NoStream n -> 0;
                    case ExpectedVersion.Any a -> -1;
                };
                List<NewEvent> events = w.events();
                for (int i = 0; i < events.size(); i++) {
                    if (events.get(i).route() != null) {
                        replies.add(new Reply(w.stream().value(), events.get(i).id(), base < 0 ? 0 : base + i + 1));
                    }
                }
            }
        }
        if (replies.isEmpty()) {
            return null;
        }
        byte[] bytes = encode(new InboxResult(false, replies));
        return bytes.length <= InboxEntry.MAX_RESULT_BYTES ? bytes : null;
    }

    /** As {@link Json#encode}, with the writer prepared once (this runs for every handled message). */
    private static byte[] encode(InboxResult result) {
        try {
            return WRITER.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.of("inbox result", "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    static InboxResult decode(byte[] result) {
        return result == null ? new InboxResult(false, List.of()) : Json.decode(result, InboxResult.class);
    }
}
