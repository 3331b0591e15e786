package dev.tandem.eventstore.memory;

import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.CheckpointUpdate;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventBatchHandler;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.support.AppendSignal;
import dev.tandem.eventstore.support.BatchPlanner;
import dev.tandem.eventstore.support.CommitValidator;
import dev.tandem.eventstore.support.PollingSubscription;
import dev.tandem.eventstore.support.ReadChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An event store held in memory, with exactly the semantics of the durable backends (it shares their
 * {@link BatchPlanner}). Commits complete synchronously on the caller's thread, which makes it
 * deterministic for simulation. Not durable: for tests and simulations only.
 */
public final class InMemoryEventStore implements EventStore {

    private final StoreOptions options;
    private final List<RecordedEvent> all = new ArrayList<>();
    private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byId = new HashMap<>();
    private final Map<BatchPlanner.InboxKey, InboxRecord> inbox = new HashMap<>();
    private final Map<String, Long> checkpoints = new HashMap<>();
    private final Map<StreamId, Snapshot> snapshots = new HashMap<>();
    private final AppendSignal signal = new AppendSignal();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private boolean closed;

    public InMemoryEventStore(StoreOptions options) {
        this.options = InvalidInputException.requireNonNull(options, "options");
    }

    public InMemoryEventStore() {
        this(StoreOptions.defaults());
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Commit commit) {
        CommitValidator.validate(commit, options);
        BatchPlanner.Outcome outcome;
        synchronized (this) {
            checkOpen();
            BatchPlanner.Plan plan;
            try {
                plan = BatchPlanner.plan(List.of(commit), new MemoryLookup(), options.clock().instant(), true);
            } catch (Exception e) {
                throw new StoreUnavailableException("in-memory planning failed", e);
            }
            apply(plan);
            outcome = plan.outcomes().getFirst();
        }
        signal.signal();
        return switch (outcome) {
            case BatchPlanner.Outcome.Committed c -> CompletableFuture.completedFuture(c.result());
            case BatchPlanner.Outcome.Refused r -> CompletableFuture.failedFuture(r.reason());
        };
    }

    private void apply(BatchPlanner.Plan plan) {
        for (RecordedEvent e : plan.events()) {
            all.add(e);
            streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
            byId.put(e.id(), e);
        }
        for (InboxRecord r : plan.inbox()) {
            inbox.put(new BatchPlanner.InboxKey(r.consumer(), r.messageId()), r);
        }
        for (CheckpointUpdate c : plan.checkpoints()) {
            checkpoints.put(c.name(), c.position());
        }
    }

    private final class MemoryLookup implements BatchPlanner.Lookup {
        @Override
        public Map<StreamId, Long> streamVersions(List<StreamId> ids) {
            Map<StreamId, Long> result = new HashMap<>();
            for (StreamId id : ids) {
                List<RecordedEvent> s = streams.get(id);
                if (s != null) {
                    result.put(id, (long) s.size());
                }
            }
            return result;
        }

        @Override
        public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) {
            Map<UUID, RecordedEvent> result = new HashMap<>();
            for (UUID id : ids) {
                RecordedEvent e = byId.get(id);
                if (e != null) {
                    result.put(id, e);
                }
            }
            return result;
        }

        @Override
        public Map<BatchPlanner.InboxKey, InboxRecord> inbox(List<BatchPlanner.InboxKey> keys) {
            Map<BatchPlanner.InboxKey, InboxRecord> result = new HashMap<>();
            for (BatchPlanner.InboxKey k : keys) {
                InboxRecord r = inbox.get(k);
                if (r != null) {
                    result.put(k, r);
                }
            }
            return result;
        }

        @Override
        public long lastPosition() {
            return all.isEmpty() ? 0 : all.getLast().position();
        }
    }

    @Override
    public synchronized List<RecordedEvent> readStream(StreamId stream, long fromVersion, ReadDirection direction, int limit) {
        checkOpen();
        ReadChecks.check(stream, fromVersion, direction, limit);
        List<RecordedEvent> s = streams.getOrDefault(stream, List.of());
        List<RecordedEvent> out = new ArrayList<>();
        if (direction == ReadDirection.FORWARD) {
            for (long v = Math.max(1, fromVersion); v <= s.size() && out.size() < limit; v++) {
                out.add(s.get((int) v - 1));
            }
        } else {
            for (long v = Math.min(fromVersion, s.size()); v >= 1 && out.size() < limit; v--) {
                out.add(s.get((int) v - 1));
            }
        }
        return out;
    }

    @Override
    public synchronized List<RecordedEvent> readAll(long afterPosition, int limit) {
        checkOpen();
        ReadChecks.checkAll(afterPosition, limit);
        int lo = 0;
        int hi = all.size();
        while (lo < hi) { // first index with position > afterPosition
            int mid = (lo + hi) >>> 1;
            if (all.get(mid).position() <= afterPosition) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return new ArrayList<>(all.subList(lo, Math.min(all.size(), lo + limit)));
    }

    @Override
    public synchronized long streamVersion(StreamId stream) {
        checkOpen();
        InvalidInputException.requireNonNull(stream, "stream");
        return streams.getOrDefault(stream, List.of()).size();
    }

    @Override
    public synchronized long lastPosition() {
        checkOpen();
        return all.isEmpty() ? 0 : all.getLast().position();
    }

    @Override
    public synchronized Map<UUID, InboxRecord> findInbox(String consumer, Collection<UUID> messageIds) {
        checkOpen();
        Map<UUID, InboxRecord> found = new HashMap<>();
        for (UUID id : ReadChecks.checkInbox(consumer, messageIds)) {
            InboxRecord r = inbox.get(new BatchPlanner.InboxKey(consumer, id));
            if (r != null) {
                found.put(id, r);
            }
        }
        return found;
    }

    @Override
    public synchronized int purgeInbox(Instant cutoff) {
        checkOpen();
        InvalidInputException.requireNonNull(cutoff, "cutoff");
        int before = inbox.size();
        inbox.values().removeIf(r -> r.recordedAt().isBefore(cutoff));
        return before - inbox.size();
    }

    @Override
    public synchronized OptionalLong loadCheckpoint(String name) {
        checkOpen();
        Long p = checkpoints.get(InvalidInputException.requireText(name, "checkpoint.name", 200));
        return p == null ? OptionalLong.empty() : OptionalLong.of(p);
    }

    @Override
    public synchronized void saveSnapshot(Snapshot snapshot) {
        checkOpen();
        InvalidInputException.requireNonNull(snapshot, "snapshot");
        snapshots.put(snapshot.stream(), snapshot);
    }

    @Override
    public synchronized Optional<Snapshot> loadSnapshot(StreamId stream) {
        checkOpen();
        return Optional.ofNullable(snapshots.get(InvalidInputException.requireNonNull(stream, "stream")));
    }

    @Override
    public Subscription subscribe(SubscriptionRequest request, EventBatchHandler handler) {
        synchronized (this) {
            checkOpen();
        }
        InvalidInputException.requireNonNull(request, "request");
        InvalidInputException.requireNonNull(handler, "handler");
        PollingSubscription s = new PollingSubscription(this, request, handler, signal, Duration.ofMillis(200)).start();
        subscriptions.add(s);
        return s;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        subscriptions.forEach(Subscription::close);
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("in-memory event store");
        }
    }
}
