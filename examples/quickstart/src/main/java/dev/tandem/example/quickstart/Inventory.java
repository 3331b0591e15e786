package dev.tandem.example.quickstart;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.aggregate.AggregateStreams;
import dev.tandem.eventstore.aggregate.Decision;
import dev.tandem.saga.participant.BranchResult;
import dev.tandem.saga.participant.Participant;
import java.util.List;

/**
 * The inventory service's stock over its own store: restocking and reading outside transactions, and the saga
 * participant that reserves and releases stock for orders.
 */
public final class Inventory {

    private static final AggregateStreams<Stock, Stock.Event> STOCK =
            AggregateStreams.of("stock", Stock.Event.class, Stock.NONE, Stock::evolve);

    private final EventStore store;

    public Inventory(EventStore store) {
        this.store = InvalidInputException.requireNonNull(store, "store");
    }

    /** Adds {@code units} of {@code sku}; durable on return. */
    public Stock restock(String sku, int units) {
        InvalidInputException.requireText(sku, "sku", Order.MAX_NAME);
        return STOCK.execute(store, sku, stock -> StockDecider.decide(stock, new StockDecider.Restock(units)));
    }

    /** The stock of {@code sku} as stored ({@link Stock#NONE} when never restocked). */
    public Stock stock(String sku) {
        InvalidInputException.requireText(sku, "sku", Order.MAX_NAME);
        return STOCK.load(store, sku).state();
    }

    /** Every event of {@code sku}'s stock, oldest first: restocks, and each order's reservation and release. */
    public List<Stock.Event> history(String sku) {
        InvalidInputException.requireText(sku, "sku", Order.MAX_NAME);
        return STOCK.history(store, sku);
    }

    /**
     * The saga participant: each handler reads the SKU's stock, decides, and returns the events as writes, which go
     * into the same commit as the barrier's record of the step (which is also the reply to the coordinator). A
     * refusal is a failed step that writes nothing.
     */
    public Participant participant() {
        return Participant.builder(OrderSaga.INVENTORY, store)
                .on(OrderSaga.RESERVE_STOCK, ctx -> {
                    Order order = ctx.input(Order.class);
                    return apply(order.sku(), new StockDecider.Reserve(order.id(), order.quantity()), ctx.metadata());
                })
                .on(OrderSaga.RELEASE_STOCK, ctx -> {
                    Order order = ctx.input(Order.class);
                    return apply(order.sku(), new StockDecider.Release(order.id(), order.quantity()), ctx.metadata());
                })
                .build();
    }

    private BranchResult apply(String sku, StockDecider.Command command, Metadata metadata) {
        AggregateStreams.Loaded<Stock> stock = STOCK.load(store, sku);
        return switch (StockDecider.decide(stock.state(), command)) {
            case Decision.Refused<Stock.Event> refused -> BranchResult.failed(refused.reason());
            case Decision.Accepted<Stock.Event> accepted -> BranchResult.succeeded(STOCK.write(sku, stock, accepted.events(), metadata));
        };
    }
}
