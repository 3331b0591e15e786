package dev.tandem.saga.engine;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.List;

/**
 * The fencing of a transaction stream against a stale owner.
 *
 * <p>An instance that takes a transaction over appends a claim carrying its fencing token (for a lease, the
 * version of its grant in the lease stream, which grows with every new grant). Before any append, an instance
 * reads the stream and refuses to go on when the stream holds a claim with a higher token than its own; the
 * append then expects exactly the version it read. So the token check and the append are atomic: a claim
 * that lands after the read makes the append fail with a version conflict, and the retry reads the claim.
 */
final class Fence {

    static final String CLAIMED = TransactionEventCodec.PREFIX + "Claimed";

    /** The payload of a claim. */
    record Claim(String coordinator, String at, long token) {}

    private Fence() {}

    /** @param metadata the claimed transaction's, so the claim carries its trace like every other event of the stream */
    static NewEvent claim(String coordinator, Instant at, long token, Metadata metadata) {
        return new NewEvent(NewEvent.newId(), CLAIMED, Json.encode(new Claim(coordinator, at.toString(), token)), Json.CONTENT_TYPE,
                metadata, null);
    }

    /** The highest fencing token claimed in {@code recorded}; 0 when none (claims written before tokens count as 0). */
    static long highestToken(List<RecordedEvent> recorded) {
        long highest = 0;
        for (RecordedEvent e : recorded) {
            if (e.type().equals(CLAIMED)) {
                highest = Math.max(highest, e.payloadAs(Claim.class).token());
            }
        }
        return highest;
    }

}
