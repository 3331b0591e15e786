package dev.tandem.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MessageBatchListener} that takes further batches before the earlier ones are handled, keeping the order
 * of each partition key across them: a transport that can acknowledge batches out of order hands it several at
 * once, so handling the next batch overlaps making the previous one durable.
 *
 * <p>The contract with the transport:
 * <ul>
 *   <li>{@link #submit} returns at once; its future completes when every message of the batch is handled (the batch
 *       may be acknowledged), or fails when the batch must be delivered again.
 *   <li>Once a batch fails, every batch submitted before or after it that is not yet complete fails too, until
 *       {@link #resume}: the transport waits for all its submitted batches to complete, calls {@code resume}, and
 *       submits the failed ones again, in their order. So no message of a key is handled after a later one.
 * </ul>
 */
public interface PipelinedBatchListener extends MessageBatchListener {

    /** Accepts {@code messages} for handling after every batch submitted before; see the class comment. */
    CompletableFuture<Void> submit(List<Message> messages);

    /** Accepts batches again after a failure, once every batch submitted before it has completed. */
    void resume();

    /**
     * Returns once the listener has started all it can start of what it was given and is waiting (for commits, for
     * backoffs, or for more work). A transport calls it before {@link #submit}: while the listener is busy, messages
     * gather into one larger batch instead of many small ones; once it only waits, the next batch overlaps that wait.
     */
    default void awaitCaughtUp() throws InterruptedException {}
}
