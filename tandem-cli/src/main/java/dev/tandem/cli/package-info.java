/** The {@code tandem} command: demo, bench, sim, chaos and the service run modes. */
package dev.tandem.cli;
