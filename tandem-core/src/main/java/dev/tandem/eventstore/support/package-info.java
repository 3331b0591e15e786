/**
 * For event store implementers (SPI): commit validation, batch planning, group commit and
 * polling subscriptions, shared so that every backend has the same semantics.
 */
package dev.tandem.eventstore.support;
