package dev.tandem.example.bank.service;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.example.bank.transfer.TransferEvent;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A transfer as its stream records it: the request, where it stands, and its timeline.
 *
 * @param reason why it was compensated, or null
 */
public record TransferView(UUID id, TransferRequest request, TransferOutcome outcome, String reason, List<Entry> timeline) {

    /** One recorded step: its type and when it was committed. */
    public record Entry(String type, Instant at, long version) {}

    static TransferView of(UUID id, List<RecordedEvent> events) {
        TransferRequest request = null;
        TransferOutcome outcome = TransferOutcome.PENDING;
        String reason = null;
        List<Entry> timeline = new ArrayList<>();
        for (RecordedEvent e : events) {
            timeline.add(new Entry(e.type(), e.timestamp(), e.version()));
            switch (TransferCoordinator.decode(e)) {
                case TransferEvent.TransferStarted s -> request = s.request();
                case TransferEvent.TransferCommitted c -> outcome = TransferOutcome.COMMITTED;
                case TransferEvent.TransferCompensated c -> {
                    outcome = TransferOutcome.COMPENSATED;
                    reason = c.reason();
                }
            }
        }
        return new TransferView(id, request, outcome, reason, List.copyOf(timeline));
    }

    public TransferResult result() {
        return new TransferResult(id, outcome, reason);
    }
}
