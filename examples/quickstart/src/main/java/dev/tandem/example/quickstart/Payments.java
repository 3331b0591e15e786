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
 * The payments service's cards over its own store: issuing and reading outside transactions, and the saga
 * participant that charges and refunds cards for orders.
 */
public final class Payments {

    private static final AggregateStreams<Card, Card.Event> CARDS =
            AggregateStreams.of("card", Card.Event.class, Card.NONE, Card::evolve);

    private final EventStore store;

    public Payments(EventStore store) {
        this.store = InvalidInputException.requireNonNull(store, "store");
    }

    /**
     * Issues card {@code card} with a credit limit of {@code limitCents}; durable on return.
     *
     * @throws InvalidInputException when the card exists already or the limit is not positive
     */
    public Card issueCard(String card, long limitCents) {
        InvalidInputException.requireText(card, "card", Order.MAX_NAME);
        return CARDS.execute(store, card, c -> CardDecider.decide(c, new CardDecider.Issue(limitCents)));
    }

    /** Card {@code card} as stored ({@link Card#NONE} when never issued). */
    public Card card(String card) {
        InvalidInputException.requireText(card, "card", Order.MAX_NAME);
        return CARDS.load(store, card).state();
    }

    /** Every event of card {@code card}, oldest first: its issue, and each order's charge and refund. */
    public List<Card.Event> history(String card) {
        InvalidInputException.requireText(card, "card", Order.MAX_NAME);
        return CARDS.history(store, card);
    }

    /** The saga participant: charges and refunds, each in one commit with the barrier's record of the step. */
    public Participant participant() {
        return Participant.builder(OrderSaga.PAYMENTS, store)
                .on(OrderSaga.CHARGE_CARD, ctx -> {
                    Order order = ctx.input(Order.class);
                    return apply(order.card(), new CardDecider.Charge(order.id(), order.amountCents()), ctx.metadata());
                })
                .on(OrderSaga.REFUND_CARD, ctx -> {
                    Order order = ctx.input(Order.class);
                    return apply(order.card(), new CardDecider.Refund(order.id(), order.amountCents()), ctx.metadata());
                })
                .build();
    }

    private BranchResult apply(String card, CardDecider.Command command, Metadata metadata) {
        AggregateStreams.Loaded<Card> loaded = CARDS.load(store, card);
        return switch (CardDecider.decide(loaded.state(), command)) {
            case Decision.Refused<Card.Event> refused -> BranchResult.failed(refused.reason());
            case Decision.Accepted<Card.Event> accepted -> BranchResult.succeeded(CARDS.write(card, loaded, accepted.events(), metadata));
        };
    }
}
