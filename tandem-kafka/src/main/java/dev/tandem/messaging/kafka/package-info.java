/** The Kafka transport: messages as CloudEvents (Kafka binary mode) on one topic per destination. */
package dev.tandem.messaging.kafka;
