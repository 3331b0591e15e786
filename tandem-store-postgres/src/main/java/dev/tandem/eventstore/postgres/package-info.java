/** The PostgreSQL event store: group-committed appends under an advisory lock, LISTEN/NOTIFY wake-ups, Flyway-managed schema. */
package dev.tandem.eventstore.postgres;
