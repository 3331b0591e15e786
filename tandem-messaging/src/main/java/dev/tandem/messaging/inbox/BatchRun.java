package dev.tandem.messaging.inbox;

import dev.tandem.core.InvalidInputException;
import dev.tandem.messaging.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Handles one delivered batch on the caller's thread: one lane per partition key, handled in rounds. Each round
 * runs the handler for the head of every lane that is not backing off and commits them all asynchronously, then
 * settles each outcome ({@link Handling}). The delivery of a transport that hands over one batch at a time.
 */
final class BatchRun {

    private final Handling handling;
    private final Map<String, ArrayDeque<Handling.Item>> lanes = new LinkedHashMap<>();

    BatchRun(Handling handling, List<Message> messages) {
        this.handling = handling;
        for (Message m : messages) {
            InvalidInputException.requireNonNull(m, "messages[]");
            lanes.computeIfAbsent(m.partitionKey(), k -> new ArrayDeque<>()).add(new Handling.Item(m));
        }
        handling.precheck(lanes.values().stream().flatMap(ArrayDeque::stream).toList());
    }

    void run() throws InterruptedException {
        while (!lanes.isEmpty()) {
            long now = System.nanoTime();
            List<Handling.Item> ready = new ArrayList<>();
            long earliest = Long.MAX_VALUE;
            for (ArrayDeque<Handling.Item> lane : lanes.values()) {
                Handling.Item head = lane.peek();
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

    private void round(List<Handling.Item> ready) throws InterruptedException {
        List<CompletableFuture<?>> commits = new ArrayList<>(ready.size());
        List<Throwable> outcomes = new ArrayList<>(ready.size());
        for (Handling.Item item : ready) {
            commits.add(handling.attempt(item));
        }
        for (CompletableFuture<?> f : commits) {
            outcomes.add(Handling.failureOf(f));
        }
        for (int i = 0; i < ready.size(); i++) {
            Handling.Item item = ready.get(i);
            if (handling.settle(item, outcomes.get(i)) == Handling.Verdict.DONE) {
                lanes.get(item.message.partitionKey()).poll();
            } else if (item.waitsForWrite) { // every commit of this round has settled: the write it waited for too
                item.notBeforeNanos = System.nanoTime();
            }
        }
    }
}
