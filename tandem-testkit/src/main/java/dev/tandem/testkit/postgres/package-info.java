/** A real PostgreSQL for integration tests: an external server when configured, else an embedded one. */
package dev.tandem.testkit.postgres;
