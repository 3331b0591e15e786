package dev.tandem.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.saga.coordinator.Status;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shop closed and reopened on the same data directory. */
class ShopRestartTest {

    @TempDir
    Path dir;

    private void stockUp() {
        try (Shop shop = Shop.open(dir)) {
            shop.inventory().restock("book", 5);
            shop.payments().issueCard("alice", 100_00);
        }
    }

    @Nested
    class AfterAnOrderFinished {

        @Test
        void keepsItsOutcomeAndPlacingItAgainChangesNothing() throws Exception {
            stockUp();
            Order order = new Order("order-1", "book", 2, "alice", 30_00);
            try (Shop shop = Shop.open(dir)) {
                assertThat(shop.orders().place(order).get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
            }

            try (Shop subject = Shop.open(dir)) {
                assertThat(subject.orders().resumed()).isZero();
                assertThat(subject.orders().find("order-1")).contains(new OrderOutcome("order-1", Status.COMMITTED, null));
                assertThat(subject.orders().place(order).get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
                assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(3, 2));
                assertThat(subject.payments().card("alice").chargedCents()).isEqualTo(30_00);
            }
        }
    }

    @Nested
    class WithAnOrderLeftRunning {

        @Test
        void resumesItToItsOutcome() throws Exception {
            stockUp();
            Order order = new Order("order-2", "book", 1, "alice", 15_00);
            // Only the order service runs: the order starts, and its first command waits in the outbox for an
            // inventory service that is not there.
            try (EventStore store = SqliteEventStore.open(Shop.storeFile(dir, Orders.NAME), StoreOptions.defaults());
                    InProcessTransport transport = new InProcessTransport();
                    Orders orders = Orders.start(store, transport, InstantSource.system())) {
                assertThat(orders.start(order).get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.RUNNING);
            }

            try (Shop subject = Shop.open(dir)) {
                assertThat(subject.orders().resumed()).isEqualTo(1);
                assertThat(subject.orders().outcome("order-2").get(30, TimeUnit.SECONDS).status()).isEqualTo(Status.COMMITTED);
                assertThat(subject.inventory().stock("book")).isEqualTo(new Stock(4, 1));
                assertThat(subject.payments().card("alice").chargedCents()).isEqualTo(15_00);
            }
        }
    }
}
