/** The embedded transport: hands published messages straight to consumers in the same JVM. */
package dev.tandem.messaging.inprocess;
