/** The idempotent inbox: handles each incoming message once, atomically with its effects, with retries and dead letters. */
package dev.tandem.messaging.inbox;
