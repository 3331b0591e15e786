package dev.tandem.saga.engine;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.DuplicateMessageException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.inbox.CommitAwareHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A tiny synchronous stand-in for relay + transport + inbox in tests: publishes every routed event of each service's
 * store to the destination's handler and commits the result with its inbox entry. It can drop and duplicate.
 */
final class DirectNetwork {

    private record Service(String name, EventStore store, MessageHandler handler) {}

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, Long> relayed = new HashMap<>();
    private final Deque<Message> inFlight = new ArrayDeque<>();
    final List<Message> dropped = new ArrayList<>();
    Predicate<Message> drop = m -> false;
    boolean duplicateEverything;

    DirectNetwork service(String name, EventStore store, MessageHandler handler) {
        services.put(name, new Service(name, store, handler));
        relayed.putIfAbsent(name, 0L);
        return this;
    }

    /** Relays and delivers until nothing moves; returns the number of deliveries. */
    int runUntilQuiet() {
        int delivered = 0;
        for (int round = 0; round < 10_000; round++) {
            relay();
            if (inFlight.isEmpty()) {
                return delivered;
            }
            while (!inFlight.isEmpty()) {
                Message m = inFlight.poll();
                if (drop.test(m)) {
                    dropped.add(m);
                    continue;
                }
                deliver(m);
                if (duplicateEverything) {
                    deliver(m);
                }
                delivered++;
            }
        }
        throw new AssertionError("network did not quiesce");
    }

    /** Delivers {@code m} again (e.g. a message that was dropped before). */
    void redeliver(Message m) {
        deliver(m);
        runUntilQuiet();
    }

    private void relay() {
        for (Service s : services.values()) {
            long after = relayed.get(s.name());
            for (RecordedEvent e : s.store().readAll(after, 10_000)) {
                after = e.position();
                if (e.route() != null) {
                    inFlight.add(Message.fromOutbox(s.name(), e));
                }
            }
            relayed.put(s.name(), after);
        }
    }

    private void deliver(Message m) {
        Service target = services.get(m.destination());
        if (target == null) {
            throw new AssertionError("no service " + m.destination());
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                Commit.Builder effects = target.handler().handle(m);
                if (effects.isEmpty() || !target.handler().deduplicates(m)) { // as the inbox does
                    effects.inbox(InboxEntry.of(target.name(), m.id()));
                }
                Commit commit = effects.build();
                target.store().commit(commit);
                if (target.handler() instanceof CommitAwareHandler aware) { // as the inbox does
                    aware.committed(m, commit);
                }
                return;
            } catch (DuplicateMessageException e) {
                return;
            } catch (StreamVersionConflict e) {
                // a concurrent writer: run the handler again on fresh state
            } catch (Exception e) {
                throw new AssertionError("handler of " + target.name() + " failed on " + m, e);
            }
        }
        throw new AssertionError("too many conflicts delivering " + m);
    }
}
