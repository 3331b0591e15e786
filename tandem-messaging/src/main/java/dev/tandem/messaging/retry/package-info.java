/** How failed message handling and publishing are retried: capped exponential backoff with jitter. */
package dev.tandem.messaging.retry;
