package dev.tandem.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.aggregate.Decision;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The inventory's and the payments service's rules, as pure functions. */
class DecidersTest {

    @Nested
    class TheStockDecider {

        @Test
        void reservesWhatIsAvailable() {
            Decision<Stock.Event> decision = StockDecider.decide(new Stock(3, 0), new StockDecider.Reserve("o-1", 3));

            assertThat(decision).isEqualTo(new Decision.Accepted<>(List.of(new Stock.Reserved("o-1", 3))));
            assertThat(new Stock(3, 0).evolve(new Stock.Reserved("o-1", 3))).isEqualTo(new Stock(0, 3));
        }

        @Test
        void refusesAReservationBeyondTheAvailableStock() {
            Decision<Stock.Event> decision = StockDecider.decide(new Stock(2, 5), new StockDecider.Reserve("o-1", 3));

            assertThat(decision).isEqualTo(new Decision.Refused<Stock.Event>("out of stock: 3 wanted, 2 available"));
        }

        @Test
        void releasesAReservationBackIntoTheAvailableStock() {
            Decision<Stock.Event> decision = StockDecider.decide(new Stock(0, 3), new StockDecider.Release("o-1", 3));

            assertThat(decision).isEqualTo(new Decision.Accepted<>(List.of(new Stock.Released("o-1", 3))));
            assertThat(new Stock(0, 3).evolve(new Stock.Released("o-1", 3))).isEqualTo(new Stock(3, 0));
        }

        @Test
        void refusesToReleaseMoreThanIsReserved() {
            assertThat(StockDecider.decide(new Stock(5, 1), new StockDecider.Release("o-1", 2))).isInstanceOf(Decision.Refused.class);
        }

        @Test
        void refusesARestockOfNothing() {
            assertThat(StockDecider.decide(Stock.NONE, new StockDecider.Restock(0))).isInstanceOf(Decision.Refused.class);
        }
    }

    @Nested
    class TheCardDecider {

        private final Card issued = Card.NONE.evolve(new Card.Issued(1_000));

        @Test
        void chargesWithinTheAvailableCredit() {
            Decision<Card.Event> decision = CardDecider.decide(issued, new CardDecider.Charge("o-1", 1_000));

            assertThat(decision).isEqualTo(new Decision.Accepted<>(List.of(new Card.Charged("o-1", 1_000))));
        }

        @Test
        void declinesAChargeBeyondTheAvailableCredit() {
            Card half = issued.evolve(new Card.Charged("o-1", 500));

            Decision<Card.Event> decision = CardDecider.decide(half, new CardDecider.Charge("o-2", 501));

            assertThat(decision).isEqualTo(new Decision.Refused<Card.Event>("card declined: 501 cents asked, 500 available"));
        }

        @Test
        void declinesACardThatWasNeverIssued() {
            assertThat(CardDecider.decide(Card.NONE, new CardDecider.Charge("o-1", 1)))
                    .isEqualTo(new Decision.Refused<Card.Event>("card declined: no such card"));
        }

        @Test
        void refundsACharge() {
            Card charged = issued.evolve(new Card.Charged("o-1", 400));

            assertThat(CardDecider.decide(charged, new CardDecider.Refund("o-1", 400)))
                    .isEqualTo(new Decision.Accepted<>(List.of(new Card.Refunded("o-1", 400))));
            assertThat(charged.evolve(new Card.Refunded("o-1", 400))).isEqualTo(issued);
        }

        @Test
        void refusesToIssueACardTwice() {
            assertThat(CardDecider.decide(issued, new CardDecider.Issue(2_000))).isInstanceOf(Decision.Refused.class);
        }
    }
}
