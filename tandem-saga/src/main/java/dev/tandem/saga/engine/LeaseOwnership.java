package dev.tandem.saga.engine;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.StreamGuard;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Partition ownership by leases stored in the event store: transactions hash onto {@code partitions}; each
 * partition has a lease stream ({@code lease-<group>-<p>}) that an instance appends a grant to with the exact
 * expected version, so of two racing instances exactly one wins. The stream version of the grant is the
 * fencing token. A lease is held until it expires by the injected clock unless renewed.
 *
 * <p>The lease alone does not stop a paused instance that still believes it holds one: that is what the claim
 * that {@link Coordinator#recover()} appends to each live transaction on take-over, carrying the new token, is
 * for: an instance refuses to append to a transaction claimed with a higher token than its own, and its appends
 * expect exactly the stream version it checked (see {@link Fence}).
 */
public final class LeaseOwnership implements Ownership {

    /** One grant in a lease stream. */
    record Grant(String owner, Instant expiresAt) {}

    /** A lease this instance holds: its fencing token and expiry. */
    public record Lease(int partition, long token, Instant expiresAt) {}

    private final EventStore store;
    private final String group;
    private final String owner;
    private final int partitions;
    private final Duration ttl;
    private final InstantSource clock;
    private final ConcurrentMap<Integer, Lease> held = new ConcurrentHashMap<>();

    public LeaseOwnership(EventStore store, String group, String owner, int partitions, Duration ttl, InstantSource clock) {
        this.store = InvalidInputException.requireNonNull(store, "store");
        this.group = InvalidInputException.requireText(group, "group", 60);
        this.owner = InvalidInputException.requireText(owner, "owner", 100);
        if (partitions < 1 || partitions > 4096) {
            throw InvalidInputException.of("partitions", "must be within 1..4096, was " + partitions);
        }
        this.partitions = partitions;
        this.ttl = InvalidInputException.requireNonNull(ttl, "ttl");
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
    }

    public int partitionOf(String transactionId) {
        int h = 0;
        for (byte b : transactionId.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b; // stable across JVMs, unlike a seeded hash
        }
        return Math.floorMod(h, partitions);
    }

    @Override
    public boolean owns(String transactionId) {
        Lease lease = held.get(partitionOf(transactionId));
        return lease != null && clock.instant().isBefore(lease.expiresAt());
    }

    /** The token of the unexpired lease on {@code transactionId}'s partition; -1 when this instance holds none. */
    @Override
    public long fencingToken(String transactionId) {
        Lease lease = held.get(partitionOf(transactionId));
        return lease != null && clock.instant().isBefore(lease.expiresAt()) ? lease.token() : -1;
    }

    /** The lease stream of {@code transactionId}'s partition still at the version of this instance's grant. */
    @Override
    public Optional<StreamGuard> guard(String transactionId) {
        int partition = partitionOf(transactionId);
        Lease lease = held.get(partition);
        return lease == null ? Optional.empty() : Optional.of(new StreamGuard(streamOf(partition), ExpectedVersion.exactly(lease.token())));
    }

    /**
     * Acquires or renews every partition that is free, expired, or already ours; returns the partitions newly taken
     * over (whose live transactions the coordinator must recover and claim).
     */
    public List<Integer> acquire() {
        List<Integer> taken = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            boolean hadIt = owns(p);
            if (tryAcquire(p) && !hadIt) {
                taken.add(p);
            }
        }
        return taken;
    }

    /** The leases held now. */
    public List<Lease> leases() {
        Instant now = clock.instant();
        return held.values().stream().filter(l -> now.isBefore(l.expiresAt())).sorted(java.util.Comparator.comparingInt(Lease::partition)).toList();
    }

    /** The owner of the unexpired lease on {@code partition} as the store has it now (this instance's or another's), if any. */
    public Optional<String> holder(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw InvalidInputException.of("partition", "must be within 0.." + (partitions - 1) + ", was " + partition);
        }
        Grant current = lastGrant(streamOf(partition)).grant();
        return current != null && clock.instant().isBefore(current.expiresAt()) ? Optional.of(current.owner()) : Optional.empty();
    }

    /** A lease stream's version and its last grant (null when it has none). */
    private record Last(long version, Grant grant) {}

    private Last lastGrant(StreamId stream) {
        long version = store.streamVersion(stream);
        return version == 0 ? new Last(0, null)
                : new Last(version, store.readStream(stream, version, ReadDirection.FORWARD, 1).getFirst().payloadAs(Grant.class));
    }

    /** Gives up every lease (e.g. on shutdown) by letting them expire now. */
    public void releaseAll() {
        for (Lease l : List.copyOf(held.values())) {
            StreamId stream = streamOf(l.partition());
            try {
                store.append(stream, ExpectedVersion.exactly(l.token()), List.of(grant(new Grant(owner, clock.instant()))));
            } catch (StreamVersionConflict e) {
                // someone else holds it already
            }
            held.remove(l.partition());
        }
    }

    private boolean owns(int partition) {
        Lease lease = held.get(partition);
        return lease != null && clock.instant().isBefore(lease.expiresAt());
    }

    private boolean tryAcquire(int partition) {
        StreamId stream = streamOf(partition);
        Instant now = clock.instant();
        Last last = lastGrant(stream);
        long version = last.version();
        Grant current = last.grant();
        if (current != null) {
            if (!current.owner().equals(owner) && now.isBefore(current.expiresAt())) {
                held.remove(partition);
                return false;
            }
        }
        Instant expiresAt = now.plus(ttl);
        try {
            long token = store.append(stream, ExpectedVersion.exactly(version), List.of(grant(new Grant(owner, expiresAt)))).lastVersion();
            held.put(partition, new Lease(partition, token, expiresAt));
            return true;
        } catch (StreamVersionConflict e) {
            held.remove(partition);
            return false;
        }
    }

    private StreamId streamOf(int partition) {
        return StreamId.of("lease-" + group + "-" + partition);
    }

    private static NewEvent grant(Grant g) {
        return new NewEvent(NewEvent.newId(), "tandem.saga.LeaseGranted", Json.encode(g), Json.CONTENT_TYPE,
                dev.tandem.eventstore.Metadata.EMPTY, null);
    }
}
