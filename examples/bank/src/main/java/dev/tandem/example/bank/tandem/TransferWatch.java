package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.engine.Coordinator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completes the futures of transfers in flight when their transactions become final, from the coordinator's
 * {@link Coordinator#whenTerminal} (completed when it makes the final decision durable; no polling).
 */
final class TransferWatch implements AutoCloseable {

    private final Coordinator coordinator;
    private final Map<String, CompletableFuture<TransferOutcome>> pending = new ConcurrentHashMap<>();

    TransferWatch(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    CompletableFuture<TransferOutcome> track(String id) {
        CompletableFuture<TransferOutcome> future = new CompletableFuture<>();
        CompletableFuture<TransferOutcome> existing = pending.putIfAbsent(id, future);
        if (existing != null) {
            return existing;
        }
        coordinator.whenTerminal(id).whenComplete((tx, failure) -> {
            pending.remove(id, future);
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(outcome(tx.status()));
            }
        });
        return future;
    }

    static TransferOutcome outcome(Status status) {
        return switch (status) {
            case COMMITTED -> TransferOutcome.COMMITTED;
            case COMPENSATED -> TransferOutcome.COMPENSATED;
            default -> TransferOutcome.PENDING;
        };
    }

    @Override
    public void close() {
        pending.values().forEach(f -> f.complete(TransferOutcome.PENDING));
    }
}
