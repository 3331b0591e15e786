package dev.tandem.example.quickstart;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import dev.tandem.eventstore.EventStore;
import dev.tandem.messaging.Transport;
import dev.tandem.saga.coordinator.TransactionDecider;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.engine.Coordinator;
import dev.tandem.saga.engine.CoordinatorNode;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The order service: the saga coordinator over its own store, with the timer driver that fires step timeouts,
 * retries and the deadline, and a messaging node whose outbox relay sends the steps' commands and whose inbox
 * feeds the participants' replies back. Orders left unfinished by a previous run are resumed when it starts.
 */
public final class Orders implements AutoCloseable {

    /** The coordinator's name and destination: participants reply there. */
    public static final String NAME = "orders";

    private final CoordinatorNode node;
    private final Coordinator coordinator;

    private Orders(EventStore store, Transport transport, InstantSource clock) {
        node = CoordinatorNode.builder(NAME, store, transport, DefinitionRegistry.of(OrderSaga.definition()))
                .clock(clock)
                .start();
        coordinator = node.coordinator();
    }

    /**
     * Starts the order service over {@code store} and {@code transport}, which stay the caller's to close after it;
     * resumes every order a previous run left unfinished.
     */
    public static Orders start(EventStore store, Transport transport, InstantSource clock) {
        InvalidInputException.requireNonNull(store, "store");
        InvalidInputException.requireNonNull(transport, "transport");
        InvalidInputException.requireNonNull(clock, "clock");
        return new Orders(store, transport, clock);
    }

    /** How many unfinished orders were resumed at start. */
    public int resumed() {
        return node.resumed();
    }

    /**
     * Starts {@code order}'s saga; completes once the start is durable (its first command is in the outbox), with
     * the order's state then. Idempotent: an order already started under the same id with the same content is
     * returned as it is now; under the same id with other content the future fails with a
     * {@link dev.tandem.saga.coordinator.TransactionRejectedException} ({@code CONFLICTING_START}).
     */
    public CompletableFuture<OrderOutcome> start(Order order) {
        InvalidInputException.requireNonNull(order, "order");
        String input = new String(Json.encode(order), StandardCharsets.UTF_8);
        return coordinator.startAsync(order.id(), OrderSaga.NAME, input).thenApply(OrderOutcome::of);
    }

    /**
     * Completes with the order's outcome once it is settled: final (COMMITTED or COMPENSATED), or STUCK, waiting for
     * an operator. It does not complete for an order that was never started: bound the wait.
     */
    public CompletableFuture<OrderOutcome> outcome(String orderId) {
        InvalidInputException.requireText(orderId, "orderId", TransactionDecider.MAX_TRANSACTION_ID);
        return coordinator.whenSettled(orderId).thenApply(OrderOutcome::of);
    }

    /** {@link #start} then {@link #outcome}: completes once the order is settled. */
    public CompletableFuture<OrderOutcome> place(Order order) {
        return start(order).thenCompose(started -> outcome(started.orderId()));
    }

    /** The order's state as stored now, if it was started. */
    public Optional<OrderOutcome> find(String orderId) {
        InvalidInputException.requireText(orderId, "orderId", TransactionDecider.MAX_TRANSACTION_ID);
        return coordinator.find(orderId).map(OrderOutcome::of);
    }

    /** The engine's coordinator, for operators: {@code find}, {@code operatorRetry}, {@code operatorResolve}. */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** Stops the coordinator's timers and messaging; the store and the transport are the caller's. */
    @Override
    public void close() {
        node.close();
    }
}
