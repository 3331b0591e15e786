/** The contract every {@link dev.tandem.eventstore.EventStore} implementation must pass. */
package dev.tandem.testkit.eventstore;
