/** Parked (dead-letter) messages kept as event streams in the store, with an API to list, replay and discard them. */
package dev.tandem.messaging.deadletter;
