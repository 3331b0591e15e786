package dev.tandem.messaging.outbox;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateEventException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.support.PositionWatch;
import dev.tandem.messaging.DestinationUnavailableException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.UnknownDestinationException;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetterReason;
import dev.tandem.messaging.deadletter.DeadLetters;
import dev.tandem.messaging.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a store's outgoing messages (its routed events) through a {@link Transport}: in order
 * per partition key, batched, at least once.
 *
 * <p>It follows the store with a durable subscription and stores its checkpoint only after the
 * transport confirmed the batch, so a crash between a commit and its publish re-publishes after the
 * restart (the message id is the event id, so consumers de-duplicate). Batches in flight are bounded by
 * {@link Transport#publishesInFlight()}: one for a transport whose publish may fail after it returned (so a
 * retried batch can never be overtaken by a later one and order per key holds across retries), a few for one
 * that refuses at once or never (the in-process transport), so the consumer always has the next batch while the
 * relay reads ahead. Either way memory is bounded: a slow consumer slows the relay. The checkpoint, and
 * {@link #position()}, only ever move to the end of a batch that was confirmed together with every batch before it.
 *
 * <p>Transient transport failures, and a transport that is closed under the relay, are retried with
 * the backoff of {@link RelayOptions#retry()}, without limit. A message the transport can never take (too large, unknown destination, other non-transient
 * refusals) is parked in the relay's {@link DeadLetters} with the reason and the relay moves on; an
 * operator can {@link #replay} or {@link #discard} it.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final EventStore store;
    private final String service;
    private final Transport transport;
    private final RelayOptions options;
    private final DeadLetters deadLetters;
    private volatile Subscription subscription;
    private volatile boolean closed;

    /** A published batch not yet known to be confirmed, and the store position its confirmation lets the checkpoint reach. */
    private record InFlight(CompletableFuture<Void> confirmed, long position) {}

    private final Semaphore window;
    private final ReentrantLock inFlightLock = new ReentrantLock();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private volatile PositionWatch confirmed; // from the checkpoint, once started
    private final LongAdder publishedMessages = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder parked = new LongAdder();
    private long lastTracked; // the end of the newest batch in flight; the subscription thread's own
    private volatile TandemException broken;
    private final Object checkpointLock = new Object();
    private boolean checkpointWriting; // a checkpoint commit is in flight
    private long checkpointPending = -1; // the position to store once it completes, -1 for none

    /** @param service the sending service, the {@code source} of every message */
    public OutboxRelay(EventStore store, String service, Transport transport, RelayOptions options) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.service = InvalidInputException.requireText(service, "service", 200);
        this.transport = InvalidInputException.requireNonNull(transport, "transport");
        this.options = InvalidInputException.requireNonNull(options, "options");
        this.deadLetters = new DeadLetters(store, "outbox-" + options.name());
        this.window = new Semaphore(Math.max(1, transport.publishesInFlight()));
    }

    /** Starts following the store from the relay's checkpoint; returns {@code this}. */
    public synchronized OutboxRelay start() {
        if (closed) {
            throw new ClosedException("outbox relay " + options.name());
        }
        if (subscription == null) {
            confirmed = new PositionWatch(store.loadCheckpoint(options.checkpoint()).orElse(0L));
            SubscriptionRequest request = SubscriptionRequest.durableHandlerCommits(options.checkpoint()).withBatchSize(options.batchSize());
            subscription = store.subscribe(request, this::relay);
        }
        return this;
    }

    /** The messages this relay could not publish. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Publishes parked message {@code messageId} again (waiting for the transport) and records the replay. */
    public void replay(UUID messageId) {
        deadLetters.replay(messageId, letter -> {
            await(List.of(letter.message()));
            return Commit.builder();
        });
    }

    /** Drops parked message {@code messageId} for good, recording {@code note}. */
    public void discard(UUID messageId, String note) {
        deadLetters.discard(messageId, note);
    }

    /** Messages handed to the transport since this relay started (a batch re-published after a failure counts again). */
    public long publishedCount() {
        return publishedMessages.sum();
    }

    /** Publishes that failed transiently and were tried again, since this relay started. */
    public long retryCount() {
        return retries.sum();
    }

    /** Messages this relay parked since it started. */
    public long parkedCount() {
        return parked.sum();
    }

    /**
     * The failure that stopped this relay, if one did: a batch the transport had accepted failed afterwards. The relay
     * then publishes nothing more (nothing after that batch counts as confirmed) until it is started again, which
     * re-publishes from its checkpoint: a service whose relay reports one should be restarted.
     */
    public Optional<TandemException> failure() {
        return Optional.ofNullable(broken);
    }

    /** How far the relay is behind its store: store positions written but not yet published and confirmed (or parked). */
    public long lag() {
        return Math.max(0, store.lastPosition() - position());
    }

    /** The store position up to which every routed event has been published (and confirmed) or parked. */
    public long position() {
        PositionWatch c = confirmed;
        return c == null ? store.loadCheckpoint(options.checkpoint()).orElse(0L) : c.get();
    }

    /** Waits until every event up to {@code position} is published (and confirmed) or parked; false on timeout. */
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        PositionWatch c = confirmed;
        if (c == null) {
            throw InvalidInputException.of("relay", options.name() + " is not started");
        }
        return c.await(position, timeout);
    }

    private void relay(List<RecordedEvent> events) throws InterruptedException {
        List<Message> messages = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.route() == null) {
                continue;
            }
            Message m = Message.fromOutbox(service, e);
            long size = MessageTooLargeException.sizeOf(m);
            if (size > options.maxMessageBytes()) {
                park(m, DeadLetterReason.TOO_LARGE, 0, new MessageTooLargeException(m.id(), size, options.maxMessageBytes()));
            } else {
                messages.add(m);
            }
        }
        long end = events.getLast().position();
        TandemException failure = broken;
        if (failure != null) {
            throw failure; // a batch failed after it was accepted: hold at the checkpoint; a restart re-publishes from it
        }
        window.acquire(); // bounds the batches in flight: waits for the oldest to be confirmed
        if (messages.isEmpty()) {
            track(CompletableFuture.completedFuture(null), end);
            return;
        }
        CompletableFuture<Void> published = transport.publishesInFlight() > 1 ? transport.publish(messages) : null;
        if (published == null || published.isCompletedExceptionally()) {
            // refused at once (or a transport with one publish in flight): publish it alone, retrying, once every
            // earlier batch is confirmed, so nothing after it can overtake its retries
            awaitInFlight();
            publish(messages);
            track(CompletableFuture.completedFuture(null), end);
            return;
        }
        publishedMessages.add(messages.size());
        track(published, end);
    }

    /** Queues a batch in flight; when it and every batch before it are confirmed, the checkpoint moves to {@code position}. */
    private void track(CompletableFuture<Void> delivery, long position) {
        lastTracked = position;
        inFlightLock.lock();
        try {
            inFlight.add(new InFlight(delivery, position));
        } finally {
            inFlightLock.unlock();
        }
        delivery.whenComplete((ok, error) -> confirmDone());
    }

    /**
     * Confirms the batches at the head of the queue that are done, in order, and stores the checkpoint they reach
     * (queued under the lock, so checkpoints reach the store in the order they were reached).
     */
    private void confirmDone() {
        inFlightLock.lock();
        try {
            long reached = -1;
            while (!inFlight.isEmpty() && inFlight.peek().confirmed().isDone()) {
                InFlight head = inFlight.peek();
                if (head.confirmed().isCompletedExceptionally()) {
                    if (broken == null) {
                        broken = failureOf(head.confirmed().exceptionNow());
                        if (!closed) {
                            log.error("relay {}: a batch accepted by the transport failed; stopping at position {}", options.name(), confirmed.get(),
                                    broken);
                        }
                    }
                    break; // nothing after it counts as confirmed: a restart re-publishes from the checkpoint
                }
                inFlight.poll();
                window.release();
                reached = head.position();
            }
            if (reached > confirmed.get()) {
                confirmed.advanceTo(reached);
                storeCheckpoint(reached);
            }
        } finally {
            inFlightLock.unlock();
        }
    }

    /**
     * Fire and forget, one write in flight at a time: positions reached meanwhile are coalesced into the next write, so
     * a busy relay stores one checkpoint per commit of its store, not one per batch. A lost or not yet written
     * checkpoint only means re-publishing after a restart (consumers de-duplicate).
     */
    private void storeCheckpoint(long position) {
        synchronized (checkpointLock) {
            if (checkpointWriting) {
                checkpointPending = Math.max(checkpointPending, position);
                return;
            }
            checkpointWriting = true;
        }
        writeCheckpoint(position);
    }

    private void writeCheckpoint(long position) {
        store.commitAsync(Commit.builder().checkpoint(options.checkpoint(), position).build())
                .whenComplete((r, e) -> {
                    if (e != null && !closed) {
                        log.warn("relay {} could not store its checkpoint at {}", options.name(), position, e);
                    }
                    long next;
                    synchronized (checkpointLock) {
                        next = checkpointPending;
                        checkpointPending = -1;
                        checkpointWriting = next >= 0;
                    }
                    if (next >= 0) {
                        writeCheckpoint(next);
                    }
                });
    }

    /** Waits until every batch in flight is confirmed (or one failed). */
    private void awaitInFlight() throws InterruptedException {
        while (broken == null && !confirmed.await(lastTracked, Duration.ofMillis(100))) {
            // a failed batch does not move the position: the bound re-checks for one
        }
        TandemException failure = broken;
        if (failure != null) {
            throw failure;
        }
    }

    private static TandemException failureOf(Throwable cause) {
        return cause instanceof TandemException te ? te : new DestinationUnavailableException("(several)", "publish failed: " + cause, cause);
    }

    /** Publishes {@code messages}, retrying transient failures; a batch refused for good is split to park only the culprits. */
    private void publish(List<Message> messages) throws InterruptedException {
        RetryPolicy retry = options.retry();
        for (int failures = 1; ; failures++) {
            try {
                await(messages);
                publishedMessages.add(messages.size());
                return;
            } catch (TandemException e) {
                if (!e.isTransient() && !(e instanceof ClosedException)) { // a closed transport is shutdown, not a bad message
                    if (messages.size() == 1) {
                        park(messages.getFirst(), reasonFor(e), failures, e);
                    } else {
                        for (Message m : messages) {
                            publish(List.of(m));
                        }
                    }
                    return;
                }
                if (closed) {
                    throw new InterruptedException("relay " + options.name() + " is closing");
                }
                Duration delay = retry.delayAfter(Math.min(failures, 30));
                retries.increment();
                log.warn("relay {} could not publish {} messages (attempt {}); retrying in {}", options.name(), messages.size(), failures, delay, e);
                TimeUnit.NANOSECONDS.sleep(delay.toNanos()); // backoff before a retry, not synchronisation
            }
        }
    }

    private void await(List<Message> messages) throws InterruptedException {
        try {
            transport.publish(messages).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TandemException te) {
                throw te;
            }
            throw new DestinationUnavailableException(messages.getFirst().destination(), "publish failed: " + cause, cause);
        }
    }

    private static DeadLetterReason reasonFor(TandemException e) {
        return switch (e) {
            case MessageTooLargeException t -> DeadLetterReason.TOO_LARGE;
            case UnknownDestinationException u -> DeadLetterReason.UNKNOWN_DESTINATION;
            default -> DeadLetterReason.REJECTED;
        };
    }

    private void park(Message m, DeadLetterReason reason, int attempts, Exception error) {
        log.error("relay {} parks {}: {}", options.name(), m, reason, error);
        try {
            store.commit(deadLetters.park(Commit.builder(), new DeadLetter(m, reason, attempts, DeadLetter.describe(error), null)).build());
            parked.increment();
        } catch (DuplicateEventException already) {
            // parked before a restart: the first record stands
        }
    }

    /** Stops relaying after the batch in progress; the checkpoint stays where the last confirmed batch put it. */
    @Override
    public synchronized void close() {
        closed = true;
        if (subscription != null) {
            subscription.close();
        }
    }
}
