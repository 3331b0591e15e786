package dev.tandem.simulator.node;

import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.messaging.Message;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.saga.protocol.BranchReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The simulated outbox relay of one node incarnation: reads the node's routed events from its store after
 * the stored checkpoint, sends them, re-sends until acknowledged, and moves the checkpoint over the
 * acknowledged prefix. All of it but the checkpoint is lost when the node crashes.
 */
final class OutboxSender {

    static final String CHECKPOINT = "tandem-sim-outbox";
    static final Duration RESEND_AFTER = Duration.ofMillis(300);

    private record Pending(RecordedEvent event, long nextSendNanos) {}

    private final SimNode node;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private final Map<UUID, Long> positions = new HashMap<>();
    private long scanned;
    private long checkpoint;
    private boolean resendArmed;

    OutboxSender(SimNode node) {
        this.node = node;
        this.checkpoint = node.store().loadCheckpoint(CHECKPOINT).orElse(0);
        this.scanned = checkpoint;
    }

    /** Picks up newly committed routed events and sends them. */
    void poll() {
        while (true) {
            List<RecordedEvent> batch = node.store().readAll(scanned, 256);
            if (batch.isEmpty()) {
                break;
            }
            for (RecordedEvent e : batch) {
                scanned = e.position();
                if (e.route() != null) {
                    send(e);
                    pending.put(e.position(), new Pending(e, node.nowNanos() + RESEND_AFTER.toNanos()));
                    positions.put(e.id(), e.position());
                }
            }
        }
        advanceCheckpoint();
        armResend();
    }

    void acknowledged(UUID messageId) {
        Long position = positions.remove(messageId);
        if (position != null) {
            pending.remove(position);
            advanceCheckpoint();
        }
    }

    boolean idle() {
        return pending.isEmpty();
    }

    private void send(RecordedEvent e) {
        Message m = Message.fromOutbox(node.name(), e);
        node.network().send(node.name(), m.destination(), new Packet.Delivery(m), describe(m));
    }

    /** A readable one-line summary of {@code m} for the trace. */
    static String describe(Message m) {
        return switch (m.type()) {
            case BranchCommand.TYPE -> {
                BranchCommand c = m.payloadAs(BranchCommand.class);
                yield "command " + c.transactionId() + " step " + c.step() + " " + c.phase() + "#" + c.attempt() + " " + c.operation();
            }
            case BranchReply.TYPE -> {
                BranchReply r = m.payloadAs(BranchReply.class);
                yield "reply " + r.transactionId() + " step " + r.step() + " " + r.phase() + "#" + r.attempt() + " " + r.outcome();
            }
            default -> m.type() + " #" + m.sequence() + " " + m.partitionKey();
        };
    }

    private void resend() {
        resendArmed = false;
        long now = node.nowNanos();
        for (Map.Entry<Long, Pending> p : pending.entrySet()) {
            if (p.getValue().nextSendNanos() <= now) {
                send(p.getValue().event());
                p.setValue(new Pending(p.getValue().event(), now + RESEND_AFTER.toNanos()));
            }
        }
        armResend();
    }

    private void armResend() {
        if (!resendArmed && !pending.isEmpty()) {
            resendArmed = true;
            node.schedule(RESEND_AFTER, "resend", this::resend);
        }
    }

    private void advanceCheckpoint() {
        long target = pending.isEmpty() ? scanned : pending.firstKey() - 1;
        if (target > checkpoint) {
            checkpoint = target;
            node.store().saveCheckpoint(CHECKPOINT, target);
        }
    }
}
