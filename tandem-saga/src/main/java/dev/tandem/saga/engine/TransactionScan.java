package dev.tandem.saga.engine;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.RecordedEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finds transaction ids by scanning the store from the start (simple and correct; a projection can replace it). */
final class TransactionScan {

    private static final int PAGE = 2000;

    private TransactionScan() {}

    static Set<String> transactionIds(EventStore store) {
        Set<String> ids = new LinkedHashSet<>();
        long after = 0;
        while (true) {
            List<RecordedEvent> page = store.readAll(after, PAGE);
            for (RecordedEvent e : page) {
                if (e.type().equals(TransactionEventCodec.PREFIX + "Started")) {
                    String id = TransactionStreams.transactionIdOf(e.stream());
                    if (id != null) {
                        ids.add(id);
                    }
                }
                after = e.position();
            }
            if (page.size() < PAGE) {
                return ids;
            }
        }
    }
}
