/** Wires an outbox relay, inbox consumers and a transport into one running messaging node per service. */
package dev.tandem.messaging.runtime;
