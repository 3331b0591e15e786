/** The {@code messaging} benchmark: outbox append to inbox append across two services, per transport. */
package dev.tandem.bench.messaging;
