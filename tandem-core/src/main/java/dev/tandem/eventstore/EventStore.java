package dev.tandem.eventstore;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * An append-only store of event streams with a store-wide order; the single source of truth of one service.
 *
 * <p>Commits are atomic and durable when they return. Concurrent commits are grouped into one
 * database transaction (group commit), so many callers in flight make throughput, not contention.
 * Errors are {@link TandemException}s: {@link StreamVersionConflict}, {@link DuplicateEventException},
 * {@link DuplicateMessageException}, {@link dev.tandem.core.InvalidInputException} (nothing written),
 * {@link dev.tandem.core.StoreUnavailableException} (transient), {@link dev.tandem.core.ClosedException}.
 */
public interface EventStore extends AutoCloseable {

    /** Appends {@code events} to {@code stream} if its version matches {@code expected}; durable on return. */
    default AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        return commit(Commit.of(stream, expected, events)).appends().getFirst();
    }

    /** Writes all parts of {@code commit} atomically; durable on return. */
    default CommitResult commit(Commit commit) {
        return await(commitAsync(commit));
    }

    /**
     * Queues {@code commit} for the next group commit; the future completes once it is durable, or
     * fails with the reason it was refused. Pipelining many commits is the fast path.
     */
    CompletableFuture<CommitResult> commitAsync(Commit commit);

    /**
     * As {@link #commitAsync(Commit)}, and if {@code commit} is committed, {@code onWritten} gets its result once it is
     * <em>written</em>: its outcome is decided and it holds its place in the store's order, though it may not be durable
     * yet. Every commit queued after that is written after it: it sees its writes (its expected versions count them),
     * and it is durable only if this one is. So a caller that starts dependent work then keeps its order without
     * waiting for the sync; it must not let anything leave the process before the future completes. Nothing is
     * promised about reads before then: a backend may hold a read until what it saw is durable.
     *
     * <p>{@code onWritten} is called once, before the returned future completes, never for a refused or failed commit;
     * it may run on the store's writer thread, so it must be quick and must not block. A backend that makes a commit
     * durable as it writes it (the default here) calls it when the commit is durable.
     */
    default CompletableFuture<CommitResult> commitAsync(Commit commit, Consumer<? super CommitResult> onWritten) {
        InvalidInputException.requireNonNull(onWritten, "onWritten");
        return commitAsync(commit).thenApply(result -> {
            try {
                onWritten.accept(result);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(EventStore.class).warn("a written-listener failed (the commit stands)", e);
            }
            return result;
        });
    }

    /** Up to {@code limit} events of {@code stream} starting at {@code fromVersion} (inclusive) going {@code direction}. */
    List<RecordedEvent> readStream(StreamId stream, long fromVersion, ReadDirection direction, int limit);

    /** Up to {@code limit} events of the whole store with position greater than {@code afterPosition}, in position order. */
    List<RecordedEvent> readAll(long afterPosition, int limit);

    /** The version of the stream's last event, 0 when the stream has none. */
    long streamVersion(StreamId stream);

    /** The highest committed global position, 0 when the store is empty. */
    long lastPosition();

    /** The inbox record of {@code consumer} for {@code messageId}, if that message was handled. */
    default Optional<InboxRecord> findInbox(String consumer, UUID messageId) {
        InvalidInputException.requireNonNull(messageId, "messageId");
        return Optional.ofNullable(findInbox(consumer, List.of(messageId)).get(messageId));
    }

    /**
     * The inbox records of {@code consumer} for those of {@code messageIds} that were handled, by message id: one
     * look-up for a whole delivered batch.
     */
    Map<UUID, InboxRecord> findInbox(String consumer, Collection<UUID> messageIds);

    /**
     * Deletes inbox records recorded before {@code cutoff}; returns how many. Never one recorded at or after the cutoff;
     * a backend may keep one a while longer: SQLite keeps a record whose message id is a version 7 UUID with a time after
     * the cutoff (its sender's clock ahead of the store's) until a later purge's cutoff passes that time too.
     */
    int purgeInbox(Instant cutoff);

    /** The stored position of checkpoint {@code name}, if any. */
    OptionalLong loadCheckpoint(String name);

    /** Stores checkpoint {@code name} at {@code position}; durable on return. */
    default void saveCheckpoint(String name, long position) {
        commit(new Commit(List.of(), List.of(), List.of(new CheckpointUpdate(name, position))));
    }

    /** Stores {@code snapshot}, replacing an older one of the same stream; durable on return. */
    void saveSnapshot(Snapshot snapshot);

    /** The latest snapshot of {@code stream}, if any. */
    Optional<Snapshot> loadSnapshot(StreamId stream);

    /** Starts delivering events to {@code handler} on a thread of its own. */
    Subscription subscribe(SubscriptionRequest request, EventBatchHandler handler);

    /** Finishes queued commits, stops subscriptions and releases the database. */
    @Override
    void close();

    /** Waits for {@code future} and rethrows a {@link TandemException} it failed with as is. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.tandem.core.StoreUnavailableException("interrupted while waiting for a commit", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TandemException te) {
                throw te;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new dev.tandem.core.StoreUnavailableException("commit failed: " + cause, cause);
        }
    }
}
