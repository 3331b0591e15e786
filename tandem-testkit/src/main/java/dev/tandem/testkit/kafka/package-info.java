/** A real single-node KRaft Kafka broker for tests, in the test's JVM or as a separate process that can be killed. */
package dev.tandem.testkit.kafka;
