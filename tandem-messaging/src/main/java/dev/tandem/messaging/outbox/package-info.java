/** The outbox relay: publishes the routed events of a store through a transport, in order and at least once. */
package dev.tandem.messaging.outbox;
