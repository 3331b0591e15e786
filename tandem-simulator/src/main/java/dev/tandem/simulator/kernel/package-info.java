/** The simulation kernel: a seeded single-threaded scheduler, virtual clocks, a faulty network and the event trace. */
package dev.tandem.simulator.kernel;
