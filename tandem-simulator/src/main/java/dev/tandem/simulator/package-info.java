/**
 * The deterministic simulator: runs a coordinator and its participants on one thread with a seeded scheduler, a
 * virtual clock and a faulty network, then checks invariants; {@link dev.tandem.simulator.Simulation} is the entry point.
 */
package dev.tandem.simulator;
