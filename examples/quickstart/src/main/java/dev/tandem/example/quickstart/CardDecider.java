package dev.tandem.example.quickstart;

import static dev.tandem.eventstore.aggregate.Decision.accept;
import static dev.tandem.eventstore.aggregate.Decision.refuse;

import dev.tandem.eventstore.aggregate.Decision;

/**
 * The payments service's rules as a pure function: {@code decide(card, command) -> events | refusal}.
 *
 * <p>As {@link StockDecider}, it relies on the participant barrier for idempotency.
 */
public final class CardDecider {

    /** What can be asked of one card. */
    public sealed interface Command {}

    /** Issues the card with a credit limit of {@code limitCents}. */
    public record Issue(long limitCents) implements Command {}

    /** Charges {@code amountCents} for order {@code order}; declined beyond the card's available credit. */
    public record Charge(String order, long amountCents) implements Command {}

    /** Refunds order {@code order}'s charge of {@code amountCents}. */
    public record Refund(String order, long amountCents) implements Command {}

    private CardDecider() {}

    /** The events {@code command} causes on {@code card}, or why it is refused. */
    public static Decision<Card.Event> decide(Card card, Command command) {
        return switch (command) {
            case Issue i -> {
                if (card.issued()) {
                    yield refuse("the card is already issued");
                }
                yield i.limitCents() > 0 ? accept(new Card.Issued(i.limitCents())) : refuse("the limit must be positive, was " + i.limitCents());
            }
            case Charge c -> {
                if (!card.issued()) {
                    yield refuse("card declined: no such card");
                }
                if (c.amountCents() <= 0) {
                    yield refuse("a charge must be positive, was " + c.amountCents());
                }
                yield c.amountCents() <= card.availableCents()
                        ? accept(new Card.Charged(c.order(), c.amountCents()))
                        : refuse("card declined: " + c.amountCents() + " cents asked, " + card.availableCents() + " available");
            }
            // Behind the barrier a refund follows only a charge that succeeded; see StockDecider's Release.
            case Refund r -> r.amountCents() <= card.chargedCents()
                    ? accept(new Card.Refunded(r.order(), r.amountCents()))
                    : refuse("cannot refund " + r.amountCents() + " cents of order " + r.order() + ", " + card.chargedCents() + " charged");
        };
    }
}
