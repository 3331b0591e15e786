package dev.tandem.example.quickstart;

/**
 * A customer's payment card in the payments service, folded from its events; {@link CardDecider} holds the rules.
 *
 * @param issued whether the card exists
 * @param limitCents how much may be charged to it in total, in cents
 * @param chargedCents how much is charged to it now (charges minus refunds), in cents
 */
public record Card(boolean issued, long limitCents, long chargedCents) {

    /** A card that was never issued. */
    public static final Card NONE = new Card(false, 0, 0);

    /** What happened to a card. */
    public sealed interface Event {}

    /** The card was issued with a credit limit of {@code limitCents}. */
    public record Issued(long limitCents) implements Event {}

    /** Order {@code order} charged {@code amountCents}: the action of the saga's second step. */
    public record Charged(String order, long amountCents) implements Event {}

    /** Order {@code order}'s charge of {@code amountCents} was refunded: the compensation of {@link Charged}. */
    public record Refunded(String order, long amountCents) implements Event {}

    /** What can still be charged. */
    public long availableCents() {
        return limitCents - chargedCents;
    }

    /** This card with {@code event} applied. */
    public Card evolve(Event event) {
        return switch (event) {
            case Issued e -> new Card(true, e.limitCents(), 0);
            case Charged e -> new Card(issued, limitCents, chargedCents + e.amountCents());
            case Refunded e -> new Card(issued, limitCents, chargedCents - e.amountCents());
        };
    }
}
