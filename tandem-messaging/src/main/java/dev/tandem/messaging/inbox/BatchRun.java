package dev.tandem.messaging.inbox;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.messaging.MalformedMessageException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.UnknownMessageTypeException;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetterReason;
import dev.tandem.messaging.retry.RetryPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one delivered batch: one lane per partition key, handled in rounds. Each round runs the
 * handler for the head of every lane that is not backing off and commits them all asynchronously,
 * then settles each outcome (done, duplicate, re-run, retry later, park).
 */
final class BatchRun {

    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);

    /** A message and its attempts so far. */
    private static final class Item {
        final Message message;
        int failures;
        int conflicts;
        long notBeforeNanos;
        boolean inboxChecked;
        Commit attempted;

        Item(Message message) {
            this.message = message;
        }
    }

    private final InboxConsumer inbox;
    private final Map<String, ArrayDeque<Item>> lanes = new LinkedHashMap<>();

    BatchRun(InboxConsumer inbox, List<Message> messages) {
        this.inbox = inbox;
        for (Message m : messages) {
            InvalidInputException.requireNonNull(m, "messages[]");
            lanes.computeIfAbsent(m.partitionKey(), k -> new ArrayDeque<>()).add(new Item(m));
        }
    }

    void run() throws InterruptedException {
        while (!lanes.isEmpty()) {
            long now = System.nanoTime();
            List<Item> ready = new ArrayList<>();
            long earliest = Long.MAX_VALUE;
            for (ArrayDeque<Item> lane : lanes.values()) {
                Item head = lane.peek();
                if (head.notBeforeNanos - now <= 0) {
                    ready.add(head);
                } else {
                    earliest = Math.min(earliest, head.notBeforeNanos);
                }
            }
            if (ready.isEmpty()) {
                TimeUnit.NANOSECONDS.sleep(earliest - now); // backoff of failing keys, not synchronisation
                continue;
            }
            round(ready);
            lanes.values().removeIf(ArrayDeque::isEmpty);
        }
    }

    private void round(List<Item> ready) throws InterruptedException {
        List<CompletableFuture<?>> commits = new ArrayList<>(ready.size());
        List<Throwable> outcomes = new ArrayList<>(ready.size());
        for (Item item : ready) {
            commits.add(attempt(item));
        }
        for (CompletableFuture<?> f : commits) {
            outcomes.add(outcome(f));
        }
        for (int i = 0; i < ready.size(); i++) {
            settle(ready.get(i), outcomes.get(i));
        }
    }

    /** Starts handling {@code item}: a finished future for a known duplicate, else the commit in flight. */
    private CompletableFuture<?> attempt(Item item) {
        Message m = item.message;
        item.attempted = null;
        try {
            if (inbox.options().checkInboxFirst() && !item.inboxChecked) {
                item.inboxChecked = true;
                InboxRecord previous = inbox.lookup(m.id());
                if (previous != null) {
                    return CompletableFuture.failedFuture(new DuplicateMessageException(previous));
                }
            }
            long size = MessageTooLargeException.sizeOf(m);
            if (size > inbox.options().maxMessageBytes()) {
                return CompletableFuture.failedFuture(new MessageTooLargeException(m.id(), size, inbox.options().maxMessageBytes()));
            }
            Commit effects = inbox.effects(m);
            Commit handling = inbox.handling(m, effects);
            item.attempted = handling;
            return inbox.store().commitAsync(handling);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable e) { // a handler's StackOverflowError or AssertionError is a poison message, not a dead thread
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable outcome(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException | CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private void settle(Item item, Throwable failure) throws InterruptedException {
        if (failure == null) {
            inbox.committed(item.message, item.attempted);
            done(item);
            return;
        }
        if (failure instanceof InterruptedException ie) {
            throw ie;
        }
        if (failure instanceof ClosedException closed) { // shutting down: not the message's fault, deliver it again later
            throw closed;
        }
        if (failure instanceof DuplicateMessageException d) {
            inbox.duplicate(d.previous());
            done(item);
            return;
        }
        if (failure instanceof StreamVersionConflict && item.conflicts++ < inbox.options().maxConflictRetries()) {
            return; // stays at the head of its lane: the next round runs the handler on fresh state
        }
        if (!item.inboxChecked) {
            item.inboxChecked = true;
            InboxRecord previous = inbox.lookup(item.message.id());
            if (previous != null) { // a duplicate the handler choked on: it was handled before
                inbox.duplicate(previous);
                done(item);
                return;
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
            return;
        }
        DeadLetterReason reason = transientFailure ? DeadLetterReason.OUT_OF_ATTEMPTS : reasonFor(failure);
        park(item, reason, failure);
    }

    private void park(Item item, DeadLetterReason reason, Throwable failure) {
        log.error("{} parks {} after {} attempts: {}", inbox.consumer(), item.message, item.failures, reason, failure);
        DeadLetter letter = new DeadLetter(item.message, reason, item.failures, DeadLetter.describe(failure), null);
        try {
            inbox.store().commit(inbox.parking(letter));
        } catch (DuplicateMessageException already) {
            // handled or parked meanwhile by another delivery: the first record stands
        }
        done(item);
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

    private void done(Item item) {
        ArrayDeque<Item> lane = lanes.get(item.message.partitionKey());
        Iterator<Item> it = lane.iterator();
        if (it.next() == item) {
            it.remove();
        }
    }
}
