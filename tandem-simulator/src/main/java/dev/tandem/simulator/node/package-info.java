/** Simulated nodes: a store that survives crashes, an outbox sender, an inbox, and the processes that crash and recover. */
package dev.tandem.simulator.node;
