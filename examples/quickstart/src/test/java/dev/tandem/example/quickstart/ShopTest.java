package dev.tandem.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.aggregate.CommandRefusedException;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.TransactionRejectedException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orders placed through the three services in one JVM, on SQLite files and the in-process transport. */
class ShopTest {

    @TempDir
    Path dir;

    private Shop subject;

    @BeforeEach
    void openShop() {
        subject = Shop.open(dir);
        subject.inventory().restock("book", 5);
        subject.payments().issueCard("alice", 100_00);
        subject.payments().issueCard("bob", 10_00);
    }

    @AfterEach
    void closeShop() {
        subject.close();
    }

    private OrderOutcome place(Order order) throws Exception {
        return subject.orders().place(order).get(30, TimeUnit.SECONDS);
    }

    @Nested
    class AnOrderThatCommits {

        @Test
        void reservesTheStockAndChargesTheCardEachInItsServicesOwnStore() throws Exception {
            OrderOutcome outcome = place(new Order("order-1", "book", 2, "alice", 30_00));

            assertThat(outcome).isEqualTo(new OrderOutcome("order-1", Status.COMMITTED, null));
            assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(3, 2));
            assertThat(subject.payments().card("alice")).isEqualTo(new Card(true, 100_00, 30_00));
            assertThat(subject.orders().find("order-1")).contains(outcome);
        }
    }

    @Nested
    class AnOrderThePaymentsServiceDeclines {

        @Test
        void releasesTheStockItHadReserved() throws Exception {
            OrderOutcome outcome = place(new Order("order-2", "book", 1, "bob", 15_00));

            assertThat(outcome.status()).isEqualTo(Status.COMPENSATED);
            assertThat(outcome.reason()).contains("card declined: 1500 cents asked, 1000 available");
            assertThat(subject.inventory().history("book")).containsExactly(
                    new Stock.Restocked(5), new Stock.Reserved("order-2", 1), new Stock.Released("order-2", 1));
            assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(5, 0));
            assertThat(subject.payments().card("bob")).isEqualTo(new Card(true, 10_00, 0));
        }
    }

    @Nested
    class AnOrderBeyondTheStock {

        @Test
        void endsCompensatedWithoutChargingTheCard() throws Exception {
            OrderOutcome outcome = place(new Order("order-3", "book", 9, "alice", 90_00));

            assertThat(outcome.status()).isEqualTo(Status.COMPENSATED);
            assertThat(outcome.reason()).contains("out of stock: 9 wanted, 5 available");
            assertThat(subject.inventory().history("book")).containsExactly(new Stock.Restocked(5));
            assertThat(subject.payments().history("alice")).containsExactly(new Card.Issued(100_00));
        }
    }

    @Nested
    class PlacingAnOrderTwice {

        @Test
        void withTheSameContentJoinsTheFirstTransaction() throws Exception {
            Order order = new Order("order-4", "book", 2, "alice", 30_00);
            OrderOutcome first = place(order);

            OrderOutcome again = place(order);

            assertThat(again).isEqualTo(first).extracting(OrderOutcome::status).isEqualTo(Status.COMMITTED);
            assertThat(subject.inventory().stock("book")).as("reserved once").isEqualTo(new Stock(3, 2));
            assertThat(subject.payments().card("alice").chargedCents()).as("charged once").isEqualTo(30_00);
        }

        @Test
        void withOtherContentUnderTheSameIdIsRefused() throws Exception {
            place(new Order("order-5", "book", 1, "alice", 15_00));

            assertThatThrownBy(() -> subject.orders().start(new Order("order-5", "book", 3, "alice", 45_00)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(TransactionRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransactionRejectedException.Reason.CONFLICTING_START));
            assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(4, 1));
        }
    }

    @Nested
    class InvalidInput {

        @Test
        void isRefusedBeforeAnythingIsWritten() {
            assertThatThrownBy(() -> new Order("order-6", "book", 0, "alice", 15_00))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("order.quantity"));
            assertThatThrownBy(() -> subject.orders().start(null)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> subject.inventory().restock("book", -1))
                    .isInstanceOf(CommandRefusedException.class).hasMessageContaining("at least one unit");
            assertThatThrownBy(() -> subject.payments().issueCard("alice", 5_00))
                    .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.reason()).contains("already issued"));
            assertThat(subject.orders().find("order-6")).isEmpty();
            assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(5, 0));
        }
    }
}
