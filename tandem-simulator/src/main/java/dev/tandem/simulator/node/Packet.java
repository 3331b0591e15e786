package dev.tandem.simulator.node;

import dev.tandem.messaging.Message;
import java.util.UUID;

/** What travels on the simulated network between nodes. */
sealed interface Packet {

    /** A published outbox message on its way to its destination. */
    record Delivery(Message message) implements Packet {}

    /** The destination handled (or had already handled) message {@code messageId}: its sender may stop re-sending it. */
    record Ack(UUID messageId) implements Packet {}
}
