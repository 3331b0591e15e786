package dev.tandem.messaging.inprocess;

import dev.tandem.core.ClosedException;
import dev.tandem.messaging.DestinationUnavailableException;
import dev.tandem.messaging.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination: its consumer groups, and the messages that arrived before any group joined
 * (kept up to a bound and handed to the first group that joins). Each group's queue has the same
 * bound, so a publisher faster than a consumer gets a transient refusal instead of filling memory; an
 * empty queue takes any one publish, so a batch larger than the bound still makes progress.
 */
final class Destination {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessTransport.class);

    private final String name;
    private final int maxWaiting;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private boolean warned;

    Destination(String name, int maxWaiting) {
        this.name = name;
        this.maxWaiting = maxWaiting;
    }

    synchronized void offer(List<Message> messages, Ticket ticket) {
        if (groups.isEmpty()) {
            if (!waiting.isEmpty() && waiting.size() + messages.size() > maxWaiting) {
                throw new DestinationUnavailableException(name, "no consumer has joined yet and " + waiting.size()
                        + " messages are already waiting (limit " + maxWaiting + ")");
            }
            ticket.expect(messages.size());
            for (Message m : messages) {
                waiting.add(new Entry(m, ticket));
            }
            if (!warned) {
                warned = true; // once: a consumer that joins late is normal at start, a misspelt destination is not
                LOG.warn("no consumer has joined in-process destination '{}': its messages wait for the first one (at most {}). If none"
                        + " is coming, a name disagrees: a saga step's participant, the destination its service consumes and the"
                        + " participant's name must be the same", name, maxWaiting);
            }
            return;
        }
        for (Group g : groups.values()) { // check all first, so a refused publish delivers nothing
            int queued = g.queued();
            if (queued > 0 && queued + messages.size() > maxWaiting) {
                throw new DestinationUnavailableException(name, "consumer group '" + g.name() + "' has " + queued
                        + " messages queued (limit " + maxWaiting + "); it is too slow or has no member");
            }
        }
        for (Group g : groups.values()) {
            ticket.expect(messages.size());
            g.enqueue(messages, ticket);
        }
    }

    /** The group {@code group}, created (with {@code create}) on first use; the first group takes the waiting messages. */
    synchronized Group group(String group, Function<String, Group> create) {
        Group g = groups.get(group);
        if (g == null) {
            g = create.apply(group);
            groups.put(group, g);
            if (!waiting.isEmpty()) {
                g.enqueueEntries(new ArrayList<>(waiting));
                waiting.clear();
            }
        }
        return g;
    }

    /** How many messages wait for a first consumer group to join (0 once one has). */
    synchronized int waitingForConsumer() {
        return waiting.size();
    }

    synchronized List<Group> groups() {
        return List.copyOf(groups.values());
    }

    synchronized void failWaiting() {
        ClosedException closed = new ClosedException("in-process transport");
        waiting.forEach(e -> e.ticket().fail(closed));
        waiting.clear();
    }
}
