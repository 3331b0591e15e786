package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.messaging.LogContext;
import dev.tandem.messaging.Tracing;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.PipelinedBatchListener;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent inbox of one consumer: for each message, runs the {@link MessageHandler}, adds
 * {@code InboxEntry(consumer, message.id, result)} to its writes and commits them atomically.
 *
 * <p>Use it as the {@link MessageBatchListener} of a {@link dev.tandem.messaging.Transport}; a batch
 * returns (and is acknowledged) when every message in it is handled, recognised as a duplicate or
 * parked. Messages with the same partition key are handled strictly in order, one commit after the
 * other; different keys are pipelined ({@code commitAsync}), so one group commit carries many of them.
 * A transport that takes it as a {@link PipelinedBatchListener} (the in-process one) hands it several
 * batches at once, and a key's next message starts as soon as its previous one settled, whatever batch
 * it came in ({@link InboxPipeline}); otherwise each batch is handled on the transport's thread, in
 * rounds ({@link BatchRun}). For a handler that {@linkplain MessageHandler#writesBlind writes blind}, the pipeline
 * starts a key's next message once the previous commit is written rather than durable, and commits several waiting
 * messages of one key as one ({@link CommitGroup}), still in order.
 *
 * <ul>
 *   <li>A redelivered message is not applied again: the inbox is checked before the handler runs while
 *       duplicates arrive (see {@link InboxCheck}), and the commit refuses it anyway
 *       ({@link DuplicateMessageException}). The entry's {@code result} lists the handling's replies (its
 *       routed events), which are re-sent to a duplicate when {@link InboxOptions#replies()} is set. A handler
 *       that {@linkplain MessageHandler#deduplicates de-duplicates a message itself} gets no entry for a handling
 *       that writes something: it sees a redelivery again, and its own state makes it harmless.
 *   <li>A {@link dev.tandem.eventstore.StreamVersionConflict} re-runs the handler on fresh state.
 *   <li>Transient failures are retried per {@link InboxOptions#retry()}, holding only their own key.
 *   <li>A poison message (undecodable, unknown type, non-transient failure, too large, out of attempts)
 *       is parked in {@link #deadLetters()} together with an inbox entry, so a redelivery does not
 *       park it twice; {@link #replay} handles it again on an operator's request.
 * </ul>
 */
public final class InboxConsumer implements PipelinedBatchListener {

    private static final Logger log = LoggerFactory.getLogger(InboxConsumer.class);

    private final EventStore store;
    private final String consumer;
    private final MessageHandler handler;
    private final InboxOptions options;
    private final DeadLetters deadLetters;
    private final Replies replies;
    private final Handling handling = new Handling(this);
    private final InboxPipeline pipeline;
    private final LongAdder handled = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder parked = new LongAdder();

    /** @param consumer the inbox key's consumer part, stable across restarts (e.g. {@code bank-b/transfers}) */
    public InboxConsumer(EventStore store, String consumer, MessageHandler handler, InboxOptions options) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.consumer = InvalidInputException.requireText(consumer, "consumer", 150);
        this.handler = InvalidInputException.requireNonNull(handler, "handler");
        this.options = InvalidInputException.requireNonNull(options, "options");
        this.deadLetters = new DeadLetters(store, "inbox-" + consumer);
        this.replies = options.replies() == null ? null : new Replies(store, options.replies(), options.service());
        this.pipeline = new InboxPipeline(handling, handler.writesBlind(), consumer);
    }

    public String consumer() {
        return consumer;
    }

    /** The messages this consumer parked. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public void onMessages(List<Message> messages) throws InterruptedException {
        InvalidInputException.requireNonNull(messages, "messages");
        new BatchRun(handling, messages).run();
    }

    @Override
    public CompletableFuture<Void> submit(List<Message> messages) {
        return pipeline.submit(messages);
    }

    @Override
    public void resume() {
        pipeline.resume();
    }

    @Override
    public void awaitCaughtUp() throws InterruptedException {
        pipeline.awaitCaughtUp();
    }

    /** Whether {@code messageId} was handled (or parked) by this consumer and is still remembered. */
    public boolean handled(UUID messageId) {
        return store.findInbox(consumer, messageId).isPresent();
    }

    /**
     * Runs the handler again for parked message {@code messageId} and records the replay atomically with
     * the handling's writes. The replay is itself de-duplicated (inbox key {@code <consumer>/replay}).
     */
    public void replay(UUID messageId) {
        deadLetters.replay(messageId, letter -> withEntry(effects(letter.message()), consumer + "/replay", letter.message().id()));
    }

    /** Drops parked message {@code messageId} for good, recording {@code note}. */
    public void discard(UUID messageId, String note) {
        deadLetters.discard(messageId, note);
    }

    // --- used by Handling ---

    EventStore store() {
        return store;
    }

    InboxOptions options() {
        return options;
    }

    /** Whether a key's next message may start once the previous one's handling commit is written: see {@link MessageHandler#writesBlind()}. */
    boolean writesBlind() {
        return handler.writesBlind();
    }

    /**
     * What the handler returned for {@code m}: its writes and guards, not yet built. The handler runs with {@code m}'s
     * trace in the logging context ({@link LogContext}) and in a span of its own ({@link Tracing#process}), when it
     * carries one.
     */
    Commit.Builder effects(Message m) throws Exception {
        Commit.Builder b;
        Tracing.Active span = Tracing.process(m, consumer);
        LogContext logging = LogContext.of(m); // after the span: its id is the one logged
        try {
            b = handler.handle(m);
        } catch (Exception | Error e) {
            span.failed(e);
            throw e;
        } finally {
            span.close();
            logging.close();
        }
        if (b == null) {
            throw InvalidInputException.of("handler result", consumer + "'s handler returned null for " + m + "; return Commit.builder() for no effect");
        }
        return b;
    }

    /**
     * The commit that handles {@code m}: its effects (guards included) plus the inbox entry; without the entry when the
     * handler {@linkplain MessageHandler#deduplicates de-duplicates} {@code m} itself and the effects write something.
     */
    Commit handling(Message m, Commit.Builder effects) {
        if (!effects.isEmpty() && handler.deduplicates(m)) {
            return effects.build();
        }
        return withEntry(effects, consumer, m.id()).build();
    }

    /** Adds the inbox entry, whose result lists the effects' replies, to {@code effects}. */
    private static Commit.Builder withEntry(Commit.Builder effects, String consumer, UUID messageId) {
        Commit writes = effects.isEmpty() ? null : effects.build(); // guards alone are not a commit: no replies either
        return effects.inbox(new InboxEntry(consumer, messageId, InboxResult.of(writes)));
    }

    void retried() {
        retries.increment();
    }

    void parked() {
        parked.increment();
    }

    /** The commit that parks {@code letter}: the dead-letter event plus an inbox entry marking it parked. */
    Commit parking(DeadLetter letter) {
        return deadLetters.park(Commit.builder(), letter)
                .inbox(new InboxEntry(consumer, letter.message().id(), InboxResult.PARKED))
                .build();
    }

    /** Messages handled and committed since this consumer started. */
    public long handledCount() {
        return handled.sum();
    }

    /** Deliveries recognised as duplicates of handled (or parked) messages and not applied again, since it started. */
    public long duplicateCount() {
        return duplicates.sum();
    }

    /** Handling attempts that failed transiently and were scheduled again, since it started. */
    public long retryCount() {
        return retries.sum();
    }

    /** Messages this consumer parked since it started. */
    public long parkedCount() {
        return parked.sum();
    }

    /** Tells a {@link CommitAwareHandler} that the handling commit of {@code m} is durable. */
    void committed(Message m, Commit commit) {
        handled.increment();
        tell(m, commit, true);
    }

    /** Tells a {@link CommitAwareHandler} that the handling commit it returned for {@code m} failed. */
    void notCommitted(Message m, Commit attempted) {
        tell(m, attempted, false);
    }

    private void tell(Message m, Commit commit, boolean durable) {
        if (commit != null && handler instanceof CommitAwareHandler aware) {
            try {
                if (durable) {
                    aware.committed(m, commit);
                } else {
                    aware.notCommitted(m, commit);
                }
            } catch (RuntimeException e) {
                log.warn("{}'s handler failed after the {} of {}", consumer, durable ? "commit (which stands)" : "failed commit", m, e);
            }
        }
    }

    InboxRecord lookup(UUID messageId) {
        return store.findInbox(consumer, messageId).orElse(null);
    }

    Map<UUID, InboxRecord> lookup(List<UUID> messageIds) {
        return store.findInbox(consumer, messageIds);
    }

    void duplicate(InboxRecord previous) {
        duplicates.increment();
        if (replies != null) {
            replies.resend(previous);
        }
    }
}
