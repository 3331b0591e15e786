package dev.tandem.example.quickstart;

import static dev.tandem.eventstore.aggregate.Decision.accept;
import static dev.tandem.eventstore.aggregate.Decision.refuse;

import dev.tandem.eventstore.aggregate.Decision;

/**
 * The inventory's rules as a pure function: {@code decide(stock, command) -> events | refusal}.
 *
 * <p>It needs no idempotency of its own: the participant barrier runs each step's action at most once, and its
 * compensation only after the action succeeded.
 */
public final class StockDecider {

    /** What can be asked of one SKU's stock. */
    public sealed interface Command {}

    /** Adds {@code units} to the available stock. */
    public record Restock(int units) implements Command {}

    /** Holds {@code units} for order {@code order}; refused when fewer are available. */
    public record Reserve(String order, int units) implements Command {}

    /** Gives the {@code units} order {@code order} reserved back. */
    public record Release(String order, int units) implements Command {}

    private StockDecider() {}

    /** The events {@code command} causes in {@code stock}, or why it is refused. */
    public static Decision<Stock.Event> decide(Stock stock, Command command) {
        return switch (command) {
            case Restock r -> r.units() > 0
                    ? accept(new Stock.Restocked(r.units()))
                    : refuse("a restock must add at least one unit, was " + r.units());
            case Reserve r -> {
                if (r.units() <= 0) {
                    yield refuse("an order must reserve at least one unit, was " + r.units());
                }
                yield r.units() <= stock.available()
                        ? accept(new Stock.Reserved(r.order(), r.units()))
                        : refuse("out of stock: " + r.units() + " wanted, " + stock.available() + " available");
            }
            // Cannot happen behind the barrier (it compensates only a reservation that succeeded); refusing keeps a
            // broken invariant visible: the compensation is retried and the transaction ends STUCK for an operator.
            case Release r -> r.units() <= stock.reserved()
                    ? accept(new Stock.Released(r.order(), r.units()))
                    : refuse("cannot release " + r.units() + " units of order " + r.order() + ", " + stock.reserved() + " reserved");
        };
    }
}
