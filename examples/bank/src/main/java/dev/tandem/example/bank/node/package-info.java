/**
 * The bank example's services as separate OS processes: bank A, bank B and the coordinator each with its own
 * store (SQLite file or PostgreSQL schema) and HTTP API, talking to each other over Kafka; how to start, kill,
 * pause and restart them.
 */
package dev.tandem.example.bank.node;
