package dev.tandem.messaging.inbox;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.OwnedElsewhereException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.support.WriteInFlightException;
import dev.tandem.messaging.MalformedMessageException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.UnknownMessageTypeException;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetterReason;
import dev.tandem.messaging.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one message is handled, attempt by attempt, whoever schedules the attempts ({@link BatchRun} in rounds,
 * {@link InboxPipeline} continuously): start an attempt (inbox check, size check, handler, commit in flight), then
 * settle its outcome (done, duplicate, run again on fresh state or once a write in flight has settled, retry after a
 * backoff, park).
 */
final class Handling {

    private static final Logger log = LoggerFactory.getLogger(Handling.class);

    /** A message and its attempts so far. */
    static class Item {
        final Message message;
        int failures;
        int conflicts;
        long notBeforeNanos;
        boolean inboxChecked;
        /** The inbox record found by the inbox check: a known duplicate. */
        InboxRecord previous;
        Commit attempted;
        /** Its last attempt's handler asked to decide once a write in flight has settled ({@link WriteInFlightException}). */
        boolean waitsForWrite;

        Item(Message message) {
            this.message = message;
        }
    }

    /** What to do with an item after its attempt settled. */
    enum Verdict {
        /** Handled, recognised as a duplicate, or parked: the next message of its key may go. */
        DONE,
        /** Attempt it again, not before {@link Item#notBeforeNanos}. */
        AGAIN
    }

    /**
     * How long a message whose handler waits for a write in flight is held at most before it runs again; the pipeline
     * runs it again as soon as a commit settles.
     */
    static final long WRITE_WAIT_NANOS = 2_000_000;

    private final InboxConsumer inbox;
    /**
     * For {@link InboxCheck#ADAPTIVE}: delivered batches in a row whose look-up found no duplicate; looking first stops
     * at {@link InboxCheck#CLEAN_BATCHES} and starts again (from 0) when a commit is refused as a duplicate.
     */
    private final AtomicInteger cleanBatches = new AtomicInteger();

    Handling(InboxConsumer inbox) {
        this.inbox = inbox;
    }

    /** Whether messages are looked up in the inbox before their handler runs, now. */
    boolean checksFirst() {
        return switch (inbox.options().inboxCheck()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ADAPTIVE -> cleanBatches.get() < InboxCheck.CLEAN_BATCHES;
        };
    }

    /**
     * Looks a delivered batch up in the inbox at once (while {@link #checksFirst()}), so each item's attempt needs no
     * read of its own. A failed look-up leaves the items to be checked one by one.
     */
    void precheck(List<? extends Item> items) {
        if (items.isEmpty() || !checksFirst()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(items.size());
        for (Item item : items) {
            ids.add(item.message.id());
        }
        Map<UUID, InboxRecord> found;
        try {
            found = inbox.lookup(ids);
        } catch (RuntimeException e) {
            log.debug("{}: looking up a batch of {} in the inbox failed; checking one by one", inbox.consumer(), items.size(), e);
            return;
        }
        Set<UUID> seen = new HashSet<>();
        for (Item item : items) {
            if (seen.add(item.message.id())) { // a later copy in the same batch is looked up when its turn comes
                item.previous = found.get(item.message.id());
                item.inboxChecked = true;
            }
        }
        if (!found.isEmpty() || seen.size() < items.size()) {
            cleanBatches.set(0);
        } else if (cleanBatches.get() < InboxCheck.CLEAN_BATCHES) {
            cleanBatches.incrementAndGet();
        }
    }

    /** Starts handling {@code item}: a finished future for a known duplicate, else the commit in flight. */
    CompletableFuture<?> attempt(Item item) {
        return attempt(item, null);
    }

    /**
     * As {@link #attempt(Item)}; when {@code onWritten} is not null, runs it (on the store's writer thread) once the
     * handling commit is written, before it is durable, if it is committed.
     */
    CompletableFuture<?> attempt(Item item, Runnable onWritten) {
        Throwable failure = prepareAttempt(item);
        if (failure != null) {
            item.previous = null; // a known duplicate is reported once
            return CompletableFuture.failedFuture(failure);
        }
        return commit(item.attempted, onWritten);
    }

    /**
     * For a group of messages handled together ({@link CommitGroup}): runs {@code item}'s attempt up to its commit and
     * returns its handling commit, or null when it is to be attempted alone (a known duplicate, too large, its handler
     * failed: its attempt then meets the same again and settles it).
     */
    Commit prepare(Item item) {
        return prepareAttempt(item) == null ? item.attempted : null;
    }

    /**
     * An attempt up to its commit (inbox check, size check, handler): null with the handling commit in
     * {@link Item#attempted}, or the failure the attempt ends with at once.
     */
    private Throwable prepareAttempt(Item item) {
        Message m = item.message;
        item.attempted = null;
        item.waitsForWrite = false;
        try {
            if (!item.inboxChecked && checksFirst()) { // not found by the batch's pre-check
                item.inboxChecked = true;
                item.previous = inbox.lookup(m.id());
            }
            if (item.previous != null) {
                return new DuplicateMessageException(item.previous);
            }
            long size = MessageTooLargeException.sizeOf(m);
            if (size > inbox.options().maxMessageBytes()) {
                return new MessageTooLargeException(m.id(), size, inbox.options().maxMessageBytes());
            }
            item.attempted = inbox.handling(m, inbox.effects(m));
            return null;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) { // a handler's StackOverflowError or AssertionError is a poison message, not a dead thread
            return e;
        }
    }

    /**
     * Commits a handling commit (an item's, or a group's merged one); {@code onWritten} as in
     * {@link #attempt(Item, Runnable)}. A commit the store refuses at once is a failed future.
     */
    CompletableFuture<?> commit(Commit commit, Runnable onWritten) {
        try {
            return onWritten == null ? inbox.store().commitAsync(commit) : inbox.store().commitAsync(commit, written -> onWritten.run());
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code item}'s prepared commit is not made (it could not join its group, or its group failed): its handler is told. */
    void dropPrepared(Item item) {
        inbox.notCommitted(item.message, item.attempted);
        item.attempted = null;
    }

    /**
     * A group's merged commit failed, so none of it was written: each item is told its own commit was not made and
     * is attempted alone from now on. Throws, as {@link #settle} does, what must stop the whole delivery.
     */
    void groupFailed(List<? extends Item> group, Throwable failure) throws InterruptedException {
        if (failure instanceof InterruptedException ie) {
            throw ie;
        }
        if (failure instanceof ClosedException closed) {
            throw closed;
        }
        log.debug("{}: a group of {} messages failed as one commit; handling them one by one: {}", inbox.consumer(), group.size(), failure.toString());
        for (Item item : group) {
            dropPrepared(item);
        }
    }

    /** The failure a finished attempt came to, null for success. */
    static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException | CompletionException e) {
            return unwrap(e);
        }
    }

    static Throwable unwrap(Throwable e) {
        return (e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * Settles an attempt that ended with {@code failure} (null: committed). Throws what must stop the whole delivery:
     * an interrupt, a closed store, a message owned by another instance ({@link OwnedElsewhereException}: delivered
     * again, uncommitted, never parked), or a failure to park.
     */
    Verdict settle(Item item, Throwable failure) throws InterruptedException {
        if (failure == null) {
            inbox.committed(item.message, item.attempted);
            return Verdict.DONE;
        }
        if (failure instanceof InterruptedException ie) {
            throw ie;
        }
        if (failure instanceof ClosedException closed) { // shutting down: not the message's fault, deliver it again later
            throw closed;
        }
        if (failure instanceof OwnedElsewhereException elsewhere) { // not this instance's to handle: deliver it again, never park it
            throw elsewhere;
        }
        inbox.notCommitted(item.message, item.attempted); // its commit failed: nothing it expected happens
        if (failure instanceof WriteInFlightException) { // not a failure: the handler decides once that write has settled
            item.waitsForWrite = true;
            item.notBeforeNanos = System.nanoTime() + WRITE_WAIT_NANOS;
            return Verdict.AGAIN;
        }
        if (failure instanceof DuplicateMessageException d) {
            if (item.attempted != null) { // the commit refused it, not the look-up: duplicates are arriving, look first again
                cleanBatches.set(0);
            }
            inbox.duplicate(d.previous());
            return Verdict.DONE;
        }
        if (failure instanceof StreamVersionConflict && item.conflicts++ < inbox.options().maxConflictRetries()) {
            item.notBeforeNanos = System.nanoTime(); // stays at the head of its lane: runs again on fresh state
            return Verdict.AGAIN;
        }
        if (!item.inboxChecked) {
            item.inboxChecked = true;
            InboxRecord previous = inbox.lookup(item.message.id());
            if (previous != null) { // a duplicate the handler choked on: it was handled before
                inbox.duplicate(previous);
                return Verdict.DONE;
            }
        }
        item.failures++;
        RetryPolicy retry = inbox.options().retry();
        boolean transientFailure = failure instanceof StreamVersionConflict || RetryPolicy.isTransient(failure);
        if (transientFailure && retry.allowsRetry(item.failures)) {
            long delay = retry.delayAfter(item.failures).toNanos();
            if (failure instanceof StreamVersionConflict) { // contention on a hot stream: expected, and resolved by the retry
                log.debug("{} kept conflicting on {} (attempt {}); retrying in {} ms: {}", inbox.consumer(), item.message, item.failures,
                        delay / 1_000_000, failure.getMessage());
            } else {
                log.warn("{} failed on {} (attempt {}); retrying in {} ms", inbox.consumer(), item.message, item.failures, delay / 1_000_000, failure);
            }
            item.notBeforeNanos = System.nanoTime() + delay;
            inbox.retried();
            return Verdict.AGAIN;
        }
        DeadLetterReason reason = transientFailure ? DeadLetterReason.OUT_OF_ATTEMPTS : reasonFor(failure);
        park(item, reason, failure);
        return Verdict.DONE;
    }

    private void park(Item item, DeadLetterReason reason, Throwable failure) {
        log.error("{} parks {} after {} attempts: {}", inbox.consumer(), item.message, item.failures, reason, failure);
        DeadLetter letter = new DeadLetter(item.message, reason, item.failures, DeadLetter.describe(failure), null);
        try {
            inbox.store().commit(inbox.parking(letter));
            inbox.parked();
        } catch (DuplicateMessageException already) {
            // handled or parked meanwhile by another delivery: the first record stands
        }
    }

    static DeadLetterReason reasonFor(Throwable failure) {
        return switch (failure) {
            case MalformedMessageException m -> DeadLetterReason.UNDECODABLE;
            case UnknownMessageTypeException u -> DeadLetterReason.UNKNOWN_TYPE;
            case MessageTooLargeException t -> DeadLetterReason.TOO_LARGE;
            case InvalidInputException i when i.field().equals("payload") -> DeadLetterReason.UNDECODABLE;
            default -> DeadLetterReason.REJECTED;
        };
    }
}
