package dev.tandem.example.bank.service;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.transfer.TransferEvent;
import dev.tandem.example.bank.transfer.TransferEvent.TransferStarted;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRefusedException;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Drives transfers to COMMITTED or COMPENSATED, recording each in its own stream of the coordinator's store.
 *
 * <p>A transfer's stream holds {@code TransferStarted} then one terminal event. Everything between
 * is re-derivable: every bank step is idempotent and the participant barrier makes a try refused
 * once its cancel is recorded, so re-driving an unfinished transfer after a crash reaches the same
 * end (see {@link TransferSteps}). {@link #recover()} resumes every unfinished transfer.
 */
public final class TransferCoordinator {

    private final EventStore store;
    private final TransferSteps steps;
    private final ConcurrentHashMap<UUID, CompletableFuture<TransferResult>> active = new ConcurrentHashMap<>();

    public TransferCoordinator(EventStore store, Participants participants, ScheduledExecutorService retryTimer) {
        this.store = store;
        this.steps = new TransferSteps(participants, retryTimer);
    }

    static StreamId stream(UUID id) {
        return StreamId.of("transfer", id);
    }

    /**
     * Starts {@code request}, or joins it when its idempotency key was seen before; completes with its outcome.
     *
     * @throws TransferRefusedException for a transfer that cannot start (same account, non-positive amount)
     */
    public CompletableFuture<TransferResult> start(TransferRequest request) {
        if (request.from().equals(request.to())) {
            throw new TransferRefusedException(Refusal.of(Refusal.Reason.SAME_ACCOUNT, "cannot transfer from " + request.from() + " to itself"));
        }
        if (request.amount().minor() <= 0) {
            throw new TransferRefusedException(Refusal.of(Refusal.Reason.INVALID_AMOUNT, "the amount must be positive, was " + request.amount()));
        }
        UUID id = request.transferId();
        CompletableFuture<TransferResult> mine = new CompletableFuture<>();
        CompletableFuture<TransferResult> running = active.putIfAbsent(id, mine);
        if (running != null) {
            return running;
        }
        store.commitAsync(Commit.of(stream(id), ExpectedVersion.noStream(), List.of(encode(id, TransferStarted.of(request)))))
                .whenComplete((r, failure) -> {
                    if (failure == null) {
                        drive(id, request, mine);
                    } else if (unwrap(failure) instanceof StreamVersionConflict) {
                        rejoin(id, request, mine);
                    } else {
                        active.remove(id, mine);
                        mine.completeExceptionally(unwrap(failure));
                    }
                });
        return mine;
    }

    /** The transfer's state and timeline, or null when no transfer has that id. */
    public TransferView find(UUID id) {
        List<RecordedEvent> events = store.readStream(stream(id), 1, ReadDirection.FORWARD, 100);
        return events.isEmpty() ? null : TransferView.of(id, events);
    }

    /** Resumes every transfer that was started but has no terminal event; returns how many. */
    public int recover() {
        Map<UUID, TransferStarted> unfinished = new HashMap<>();
        long after = 0;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after, 5000)).isEmpty()) {
            for (RecordedEvent e : page) {
                after = e.position();
                if (!e.stream().value().startsWith("transfer-")) {
                    continue;
                }
                UUID id = UUID.fromString(e.stream().value().substring("transfer-".length()));
                if (decode(e) instanceof TransferStarted s) {
                    unfinished.put(id, s);
                } else {
                    unfinished.remove(id);
                }
            }
        }
        unfinished.forEach((id, started) -> {
            CompletableFuture<TransferResult> mine = new CompletableFuture<>();
            if (active.putIfAbsent(id, mine) == null) {
                drive(id, started.request(), mine);
            }
        });
        return unfinished.size();
    }

    /** Transfers this coordinator is driving right now. */
    public int inFlight() {
        return active.size();
    }

    private void rejoin(UUID id, TransferRequest request, CompletableFuture<TransferResult> mine) {
        try {
            TransferView view = find(id);
            if (!view.request().equals(request)) {
                throw new TransferRefusedException(Refusal.of(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, "key '"
                        + request.idempotencyKey() + "' already names transfer " + id + " " + view.request()));
            }
            if (view.outcome().isTerminal()) {
                active.remove(id, mine);
                mine.complete(view.result());
            } else {
                drive(id, request, mine);
            }
        } catch (RuntimeException e) {
            active.remove(id, mine);
            mine.completeExceptionally(e);
        }
    }

    private void drive(UUID id, TransferRequest request, CompletableFuture<TransferResult> mine) {
        steps.run(id, request)
                .thenCompose(outcome -> finish(id, outcome))
                .whenComplete((result, failure) -> {
                    active.remove(id, mine);
                    if (failure == null) {
                        mine.complete(result);
                    } else {
                        mine.completeExceptionally(unwrap(failure));
                    }
                });
    }

    private CompletableFuture<TransferResult> finish(UUID id, TransferSteps.Outcome outcome) {
        TransferEvent terminal = outcome.committed()
                ? new TransferEvent.TransferCommitted()
                : new TransferEvent.TransferCompensated(outcome.reason());
        TransferResult result = new TransferResult(id, outcome.committed() ? TransferOutcome.COMMITTED : TransferOutcome.COMPENSATED,
                outcome.reason());
        return store.commitAsync(Commit.of(stream(id), ExpectedVersion.exactly(1), List.of(encode(id, terminal))))
                .handle((r, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    if (unwrap(failure) instanceof StreamVersionConflict) {
                        return find(id).result(); // another driver finished it first; its record is the truth
                    }
                    throw new CompletionException(unwrap(failure));
                });
    }

    static NewEvent encode(UUID id, TransferEvent event) {
        return new NewEvent(NewEvent.newId(), event.typeName(), Json.encode(event), Json.CONTENT_TYPE,
                new Metadata(null, null, id.toString(), Map.of()), null);
    }

    static TransferEvent decode(RecordedEvent e) {
        Class<? extends TransferEvent> type = TransferEvent.typeOf(e.type());
        if (type == null) {
            throw dev.tandem.core.InvalidInputException.of("event.type", "unknown transfer event type '" + e.type() + "' at " + e);
        }
        return e.payloadAs(type);
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
