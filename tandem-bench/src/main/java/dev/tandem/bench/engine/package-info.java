/** The {@code engine} benchmark: two-step sagas and two-participant TCC transactions with no-op participants. */
package dev.tandem.bench.engine;
