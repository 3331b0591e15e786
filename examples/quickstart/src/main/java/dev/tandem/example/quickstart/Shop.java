package dev.tandem.example.quickstart;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.runtime.ServiceNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three services in one JVM: a SQLite store per service in one data directory, one in-process transport, the
 * inventory and payments participants each behind a messaging node, and the order service. Reopening the same
 * directory finds everything as it was and resumes unfinished orders.
 */
public final class Shop implements AutoCloseable {

    private final List<EventStore> stores = new ArrayList<>();
    private final InProcessTransport transport = new InProcessTransport();
    private final List<ServiceNode> nodes = new ArrayList<>();
    private Inventory inventory;
    private Payments payments;
    private Orders orders;

    private Shop(Path dataDir) {
        try {
            EventStore inventoryStore = openStore(dataDir, OrderSaga.INVENTORY);
            EventStore paymentsStore = openStore(dataDir, OrderSaga.PAYMENTS);
            EventStore ordersStore = openStore(dataDir, Orders.NAME);

            inventory = new Inventory(inventoryStore);
            nodes.add(ServiceNode.builder(inventoryStore, OrderSaga.INVENTORY, transport)
                    .handle(OrderSaga.INVENTORY, inventory.participant())
                    .start());

            payments = new Payments(paymentsStore);
            nodes.add(ServiceNode.builder(paymentsStore, OrderSaga.PAYMENTS, transport)
                    .handle(OrderSaga.PAYMENTS, payments.participant())
                    .start());

            orders = Orders.start(ordersStore, transport, InstantSource.system());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens (or creates) the shop's stores in {@code dataDir} and starts its services. */
    public static Shop open(Path dataDir) {
        InvalidInputException.requireNonNull(dataDir, "dataDir");
        return new Shop(dataDir);
    }

    /** The SQLite file of {@code service}'s store in {@code dataDir}. */
    static Path storeFile(Path dataDir, String service) {
        return dataDir.resolve(service + ".db");
    }

    private EventStore openStore(Path dataDir, String service) {
        EventStore store = SqliteEventStore.open(storeFile(dataDir, service), StoreOptions.defaults());
        stores.add(store);
        return store;
    }

    public Inventory inventory() {
        return inventory;
    }

    public Payments payments() {
        return payments;
    }

    public Orders orders() {
        return orders;
    }

    /** Stops the services, then the transport, then closes the stores. */
    @Override
    public void close() {
        if (orders != null) {
            orders.close();
        }
        nodes.forEach(ServiceNode::close);
        transport.close();
        RuntimeException failure = null;
        for (EventStore store : stores) {
            try {
                store.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Places a few orders in a fresh data directory and prints their outcomes. */
    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("tandem-quickstart");
        System.out.println("data directory: " + dataDir);
        try (Shop shop = Shop.open(dataDir)) {
            shop.inventory().restock("book", 5);
            shop.payments().issueCard("alice", 100_00);
            shop.payments().issueCard("bob", 10_00);

            List<Order> orders = List.of(
                    new Order("order-1", "book", 2, "alice", 30_00),   // commits
                    new Order("order-2", "book", 1, "bob", 15_00),     // card declined: the reservation is released
                    new Order("order-3", "book", 9, "alice", 90_00),   // out of stock: nothing to undo
                    new Order("order-1", "book", 2, "alice", 30_00));  // the same order again: the same transaction
            for (Order order : orders) {
                OrderOutcome outcome = shop.orders().place(order).get(30, TimeUnit.SECONDS);
                System.out.println(order.id() + ": " + outcome.status() + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
            }
            System.out.println("stock of book: " + shop.inventory().stock("book"));
            System.out.println("card alice: " + shop.payments().card("alice"));
            System.out.println("card bob: " + shop.payments().card("bob"));
        }
    }
}
