package dev.tandem.saga.engine;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.saga.coordinator.TransactionEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the transactions that may be unfinished, for {@link Coordinator#recover()}, without reading every transaction
 * the store ever held.
 *
 * <p>It reads the store's log from the coordinator's <em>recovery checkpoint</em> on: every transaction started at or
 * before that position was final when the checkpoint was stored, and a final transaction never changes again (no
 * reply, timer, operator command or claim appends to it), so none of them needs a look. Of the transactions started
 * after it, those whose final event ({@code Committed}, {@code Compensated}, {@code OperatorResolved}) the scan meets
 * are done too; the rest are the candidates, each still checked against its stream by the caller. The next
 * checkpoint is the position just before the oldest candidate's start (or the end of the scan when there is none).
 * A store's positions become visible in increasing order, so no event can appear later below a position already read.
 */
final class TransactionScan {

    private static final int PAGE = 2000;
    private static final String STARTED = TransactionEventCodec.PREFIX + TransactionEvent.Started.class.getSimpleName();
    private static final Set<String> FINAL = Set.of(
            TransactionEventCodec.PREFIX + TransactionEvent.Committed.class.getSimpleName(),
            TransactionEventCodec.PREFIX + TransactionEvent.Compensated.class.getSimpleName(),
            TransactionEventCodec.PREFIX + TransactionEvent.OperatorResolved.class.getSimpleName());

    /**
     * What a scan found.
     *
     * @param candidates the transactions started after the checkpoint and not seen final, oldest first
     * @param scannedFrom the checkpoint the scan started after
     * @param nextCheckpoint where the next scan may start: before the oldest candidate's start
     */
    record Result(List<String> candidates, long scannedFrom, long nextCheckpoint) {}

    private TransactionScan() {}

    /** The recovery checkpoint's name for coordinator {@code coordinator}. */
    static String checkpointName(String coordinator) {
        return "tandem.recovery." + coordinator;
    }

    static Result scan(EventStore store, String coordinator) {
        long from = store.loadCheckpoint(checkpointName(coordinator)).orElse(0L);
        Map<String, Long> open = new LinkedHashMap<>(); // id -> position of its Started
        long after = from;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, PAGE);
            for (RecordedEvent e : page) {
                String type = e.type();
                if (type.startsWith(TransactionEventCodec.PREFIX)) {
                    String id = TransactionStreams.transactionIdOf(e.stream());
                    if (id != null) {
                        if (type.equals(STARTED)) {
                            open.put(id, e.position());
                        } else if (FINAL.contains(type)) {
                            open.remove(id);
                        }
                    }
                }
                after = e.position();
            }
            if (page.size() < PAGE) {
                long next = open.isEmpty() ? after : open.values().iterator().next() - 1;
                return new Result(List.copyOf(open.keySet()), from, next);
            }
        }
    }

    /** Stores where the next scan starts, once every candidate of {@code result} was looked at; only ever forward. */
    static void advance(EventStore store, String coordinator, Result result) {
        if (result.nextCheckpoint() > result.scannedFrom()) {
            store.commit(Commit.builder().checkpoint(checkpointName(coordinator), result.nextCheckpoint()).build());
        }
    }
}
