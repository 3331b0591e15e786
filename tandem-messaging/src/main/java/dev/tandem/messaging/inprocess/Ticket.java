package dev.tandem.messaging.inprocess;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the deliveries one publish waits for; its future completes when the last one is acknowledged. */
final class Ticket {

    final CompletableFuture<Void> future = new CompletableFuture<>();
    private final AtomicLong pending = new AtomicLong(1); // the publisher's own hold, released by release()

    void expect(long deliveries) {
        pending.addAndGet(deliveries);
    }

    void acknowledge() {
        if (pending.decrementAndGet() == 0) {
            future.complete(null);
        }
    }

    /** The publisher has registered every delivery it expects. */
    void release() {
        acknowledge();
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
