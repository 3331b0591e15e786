/** The embedded event store: one SQLite database file in WAL mode, durable on return, the project's default backend. */
package dev.tandem.eventstore.sqlite;
