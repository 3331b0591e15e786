package dev.tandem.example.quickstart;

import dev.tandem.core.InvalidInputException;
import dev.tandem.saga.coordinator.TransactionDecider;

/**
 * An order to place: the input of its saga, which every step receives as JSON.
 *
 * @param id the order's id, also its transaction's id: placing the same order again joins the first one
 * @param sku what is bought
 * @param quantity how many units, at least one
 * @param card the card to charge
 * @param amountCents the price to charge, in cents, positive
 */
public record Order(String id, String sku, int quantity, String card, long amountCents) {

    /** The longest SKU or card id: each names an event stream ({@code stock-<sku>}, {@code card-<card>}). */
    public static final int MAX_NAME = 100;

    public Order {
        InvalidInputException.requireText(id, "order.id", TransactionDecider.MAX_TRANSACTION_ID);
        InvalidInputException.requireText(sku, "order.sku", MAX_NAME);
        InvalidInputException.requireText(card, "order.card", MAX_NAME);
        if (quantity < 1) {
            throw InvalidInputException.of("order.quantity", "must be at least 1, was " + quantity);
        }
        if (amountCents < 1) {
            throw InvalidInputException.of("order.amountCents", "must be positive, was " + amountCents);
        }
    }
}
