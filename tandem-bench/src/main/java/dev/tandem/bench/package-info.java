/** Benchmark suites run by {@code tandem bench <suite>}; each prints {@code RESULT <metric> <value> <unit>} lines. */
package dev.tandem.bench;
