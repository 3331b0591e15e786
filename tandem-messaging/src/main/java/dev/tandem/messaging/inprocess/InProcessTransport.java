package dev.tandem.messaging.inprocess;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.MessageTooLargeException;
import dev.tandem.messaging.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded transport: delivers published messages to consumers in the same JVM.
 *
 * <p>It keeps no log of its own: it is durable because the outbox is. A publish completes only when
 * every consumer group of the destination has handled the messages (its listener returned, or a
 * {@link dev.tandem.messaging.PipelinedBatchListener}'s batch completed), so the
 * outbox relay never moves its checkpoint past an unhandled message; after a crash the relay
 * publishes again from its checkpoint.
 *
 * <ul>
 *   <li>Order: per (destination, partition key), in publish order; each group has one delivery thread
 *       and each key always goes to the same member while the group's membership is unchanged.
 *   <li>Groups: each group gets every message once; several groups each get it. A group, once joined,
 *       is remembered: its messages wait while it has no member.
 *   <li>A destination no group has joined yet keeps up to {@link Options#maxWaitingPerDestination()}
 *       messages for the first group to join; beyond that publish fails with the transient
 *       {@link dev.tandem.messaging.DestinationUnavailableException}, so the relay backs off and
 *       retries. Nothing is lost either way.
 *   <li>Back-pressure: a group with {@link Options#maxWaitingPerDestination()} messages queued refuses more
 *       the same way; the outbox relay, with at most {@link #publishesInFlight()} batches in flight,
 *       never gets near it.
 *   <li>A message larger than {@link Options#maxMessageBytes()} fails the publish with
 *       {@link MessageTooLargeException} before anything of it is delivered.
 * </ul>
 */
public final class InProcessTransport implements Transport {

    /**
     * @param maxMessageBytes the largest message accepted (see {@link MessageTooLargeException#sizeOf})
     * @param maxBatchSize the most messages handed to a listener at once
     * @param maxWaitingPerDestination how many messages a destination keeps before any group joined, and
     *     how many each consumer group may have queued; beyond that publish fails transiently
     * @param maxRedeliveryBackoff the longest pause before a failed batch is delivered again
     */
    public record Options(int maxMessageBytes, int maxBatchSize, int maxWaitingPerDestination, Duration maxRedeliveryBackoff) {

        public Options {
            positive(maxMessageBytes, "maxMessageBytes");
            positive(maxBatchSize, "maxBatchSize");
            positive(maxWaitingPerDestination, "maxWaitingPerDestination");
            InvalidInputException.requireNonNull(maxRedeliveryBackoff, "maxRedeliveryBackoff");
            if (maxRedeliveryBackoff.toMillis() < 1) {
                throw InvalidInputException.of("maxRedeliveryBackoff", "must be at least 1 ms, was " + maxRedeliveryBackoff);
            }
        }

        public static Options defaults() {
            return new Options(1024 * 1024, 1_000, 100_000, Duration.ofSeconds(1));
        }

        public Options withMaxMessageBytes(int bytes) {
            return new Options(bytes, maxBatchSize, maxWaitingPerDestination, maxRedeliveryBackoff);
        }

        public Options withMaxWaitingPerDestination(int max) {
            return new Options(maxMessageBytes, maxBatchSize, max, maxRedeliveryBackoff);
        }

        public Options withMaxBatchSize(int max) {
            return new Options(maxMessageBytes, max, maxWaitingPerDestination, maxRedeliveryBackoff);
        }

        private static void positive(int value, String field) {
            if (value <= 0) {
                throw InvalidInputException.of(field, "must be positive, was " + value);
            }
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Options options;
    private final ThreadFactory threads;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public InProcessTransport() {
        this(Options.defaults());
    }

    public InProcessTransport(Options options) {
        this(options, r -> Thread.ofPlatform().name("tandem-inprocess-" + THREADS.incrementAndGet()).daemon(true).unstarted(r));
    }

    /** @param threads makes the delivery thread of each consumer group (one per group) */
    public InProcessTransport(Options options, ThreadFactory threads) {
        this.options = InvalidInputException.requireNonNull(options, "options");
        this.threads = InvalidInputException.requireNonNull(threads, "threads");
    }

    /** What {@link #publishesInFlight()} allows: enough to keep every consumer busy while the relay reads ahead. */
    static final int PUBLISHES_IN_FLIGHT = 8;

    @Override
    public CompletableFuture<Void> publish(List<Message> messages) {
        try {
            InvalidInputException.requireNonNull(messages, "messages");
            checkOpen();
            Map<String, List<Message>> byDestination = new LinkedHashMap<>();
            for (Message m : messages) {
                InvalidInputException.requireNonNull(m, "messages[]");
                long size = MessageTooLargeException.sizeOf(m);
                if (size > options.maxMessageBytes()) {
                    throw new MessageTooLargeException(m.id(), size, options.maxMessageBytes());
                }
                byDestination.computeIfAbsent(m.destination(), d -> new ArrayList<>()).add(m);
            }
            Ticket ticket = new Ticket();
            try {
                byDestination.forEach((d, list) -> destination(d).offer(list, ticket));
            } catch (TandemException e) {
                ticket.fail(e);
            }
            ticket.release();
            return ticket.future;
        } catch (TandemException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A publish is accepted or refused while {@link #publish} runs (each destination's queue takes it or refuses it
     * at once) and, once accepted, is delivered in order and acknowledged, failing only when the transport closes.
     */
    @Override
    public int publishesInFlight() {
        return PUBLISHES_IN_FLIGHT;
    }

    @Override
    public Consumption consume(String destination, String group, MessageBatchListener listener) {
        InvalidInputException.requireText(destination, "destination", 200);
        InvalidInputException.requireText(group, "group", 200);
        InvalidInputException.requireNonNull(listener, "listener");
        checkOpen();
        Group g = destination(destination).group(group,
                name -> new Group(destination, name, options.maxBatchSize(), options.maxRedeliveryBackoff(), threads));
        return g.join(listener);
    }

    /**
     * The destinations holding messages that no consumer group has joined, with how many each holds: a health check's
     * view of a name that disagrees between a sender and its receiver (also logged once per destination as a warning).
     */
    public Map<String, Integer> unconsumed() {
        Map<String, Integer> out = new TreeMap<>();
        destinations.forEach((name, d) -> {
            int n = d.waitingForConsumer();
            if (n > 0) {
                out.put(name, n);
            }
        });
        return out;
    }

    private Destination destination(String name) {
        return destinations.computeIfAbsent(name, n -> new Destination(n, options.maxWaitingPerDestination()));
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("in-process transport");
        }
    }

    /** Stops every delivery thread; publishes still waiting fail with {@link ClosedException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Destination d : destinations.values()) {
            d.groups().forEach(Group::close);
            d.failWaiting();
        }
    }
}
