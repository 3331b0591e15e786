/** The {@code store} benchmark suite: event store append throughput and subscription catch-up, per backend. */
package dev.tandem.bench.store;
