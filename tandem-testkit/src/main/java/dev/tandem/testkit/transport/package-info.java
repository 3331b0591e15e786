/** The contract every {@link dev.tandem.messaging.Transport} implementation must pass, with its test fixtures. */
package dev.tandem.testkit.transport;
