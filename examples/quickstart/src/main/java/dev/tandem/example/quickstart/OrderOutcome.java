package dev.tandem.example.quickstart;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.engine.TransactionView;

/**
 * Where an order's transaction is.
 *
 * @param status {@code COMMITTED} (stock reserved and card charged) or {@code COMPENSATED} (neither) once final;
 *     {@code RUNNING} or {@code COMPENSATING} while in progress; {@code STUCK} when a compensation kept failing and
 *     an operator must act
 * @param reason why it was compensated or is stuck; null otherwise
 */
public record OrderOutcome(String orderId, Status status, String reason) {

    static OrderOutcome of(Transaction transaction) {
        return new OrderOutcome(transaction.id(), transaction.status(), transaction.reason());
    }

    static OrderOutcome of(TransactionView view) {
        return new OrderOutcome(view.id(), view.status(), view.reason());
    }
}
