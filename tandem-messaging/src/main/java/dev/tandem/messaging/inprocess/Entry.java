package dev.tandem.messaging.inprocess;

import dev.tandem.messaging.Message;

/** A message waiting for delivery to one consumer group, with the publish it belongs to. */
record Entry(Message message, Ticket ticket) {}
