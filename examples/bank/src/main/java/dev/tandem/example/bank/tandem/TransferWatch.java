package dev.tandem.example.bank.tandem;

import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.TransactionView;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Completes the futures of transfers in flight when their transactions become final, by polling the coordinator. */
final class TransferWatch implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    private final Coordinator coordinator;
    private final Map<String, CompletableFuture<TransferOutcome>> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread thread;

    TransferWatch(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    TransferWatch start() {
        thread = Thread.ofPlatform().name("tandem-transfer-watch-1").daemon().start(this::run);
        return this;
    }

    CompletableFuture<TransferOutcome> track(String id) {
        return pending.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void fail(String id, Throwable failure) {
        CompletableFuture<TransferOutcome> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(failure);
        }
    }

    static TransferOutcome outcome(Status status) {
        return switch (status) {
            case COMMITTED -> TransferOutcome.COMMITTED;
            case COMPENSATED -> TransferOutcome.COMPENSATED;
            default -> TransferOutcome.PENDING;
        };
    }

    private void run() {
        while (!closed) {
            for (Map.Entry<String, CompletableFuture<TransferOutcome>> e : pending.entrySet()) {
                if (closed) {
                    break;
                }
                try {
                    Optional<TransactionView> view = coordinator.find(e.getKey());
                    if (view.isPresent() && view.get().status().isFinal()) {
                        pending.remove(e.getKey(), e.getValue());
                        e.getValue().complete(outcome(view.get().status()));
                    }
                } catch (RuntimeException failure) {
                    if (closed) {
                        break;
                    }
                    // a transient read failure: the next round reads again
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pending.values().forEach(f -> f.complete(TransferOutcome.PENDING));
    }
}
