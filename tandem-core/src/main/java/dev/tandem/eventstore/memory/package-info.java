/** An in-memory event store: same semantics as the durable ones, for unit tests and the simulator. */
package dev.tandem.eventstore.memory;
