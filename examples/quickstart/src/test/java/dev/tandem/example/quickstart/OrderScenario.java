package dev.tandem.example.quickstart;

import dev.tandem.core.json.Json;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.engine.TransactionView;
import dev.tandem.simulator.InvariantViolation;
import dev.tandem.simulator.ParticipantFactory;
import dev.tandem.simulator.PlannedTransaction;
import dev.tandem.simulator.Scenario;
import dev.tandem.simulator.SimulationOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The quickstart's saga and participants under the simulator: a few orders for one SKU from two cards, some beyond
 * the stock, some beyond a card's limit. Once the run is quiet, every committed order holds its units and its charge
 * exactly once and every compensated one holds neither.
 */
final class OrderScenario implements Scenario {

    static final String SKU = "book";
    static final int STOCK = 6;
    static final Map<String, Long> LIMITS = Map.of("alice", 1_000L, "bob", 300L);
    private static final List<String> CARDS = List.of("alice", "bob");

    @Override
    public DefinitionRegistry definitions() {
        return DefinitionRegistry.of(OrderSaga.definition());
    }

    /** Each participant over its node's store, stocked up on the node's first start (a restart finds it stocked). */
    @Override
    public Map<String, ParticipantFactory> participants() {
        Map<String, ParticipantFactory> participants = new LinkedHashMap<>();
        participants.put(OrderSaga.INVENTORY, (store, clock) -> {
            Inventory inventory = new Inventory(store);
            if (inventory.stock(SKU).equals(Stock.NONE)) {
                inventory.restock(SKU, STOCK);
            }
            return inventory.participant();
        });
        participants.put(OrderSaga.PAYMENTS, (store, clock) -> {
            Payments payments = new Payments(store);
            for (String card : CARDS) {
                if (!payments.card(card).issued()) {
                    payments.issueCard(card, LIMITS.get(card));
                }
            }
            return payments.participant();
        });
        return participants;
    }

    @Override
    public List<PlannedTransaction> plan(RandomGenerator random) {
        int count = 2 + random.nextInt(4);
        List<PlannedTransaction> plan = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Order order = new Order("order-" + i, SKU, 1 + random.nextInt(3), CARDS.get(random.nextInt(CARDS.size())),
                    100L * (1 + random.nextInt(6)));
            String input = new String(Json.encode(order), StandardCharsets.UTF_8);
            plan.add(new PlannedTransaction(order.id(), OrderSaga.NAME, input, Duration.ofMillis(random.nextInt(2_000))));
        }
        return plan;
    }

    @Override
    public void verify(SimulationOutcome outcome) {
        Inventory inventory = new Inventory(outcome.store(OrderSaga.INVENTORY));
        Payments payments = new Payments(outcome.store(OrderSaga.PAYMENTS));
        int committedUnits = 0;
        long committedCents = 0;
        for (PlannedTransaction planned : outcome.planned()) {
            TransactionView tx = outcome.transaction(planned.transactionId());
            Order order = Json.decode(tx.input().getBytes(StandardCharsets.UTF_8), Order.class);
            boolean committed = tx.status() == Status.COMMITTED;
            int units = netUnits(inventory.history(SKU), order.id());
            long cents = netCents(payments.history(order.card()), order.id());
            if (units != (committed ? order.quantity() : 0) || cents != (committed ? order.amountCents() : 0)) {
                throw InvariantViolation.of(order.id() + " is " + tx.status() + " but holds " + units + " units and " + cents
                        + " cents (ordered " + order.quantity() + " units for " + order.amountCents() + " cents)");
            }
            if (committed) {
                committedUnits += order.quantity();
                committedCents += order.amountCents();
            }
        }
        Stock stock = inventory.stock(SKU);
        if (stock.available() + stock.reserved() != STOCK || stock.reserved() != committedUnits || stock.available() < 0) {
            throw InvariantViolation.of("stock " + stock + " does not add up: " + STOCK + " stocked, " + committedUnits + " units committed");
        }
        long charged = 0;
        for (String card : CARDS) {
            Card c = payments.card(card);
            if (c.chargedCents() < 0 || c.chargedCents() > c.limitCents()) {
                throw InvariantViolation.of("card " + card + " is charged beyond its limit or below zero: " + c);
            }
            charged += c.chargedCents();
        }
        if (charged != committedCents) {
            throw InvariantViolation.of(charged + " cents charged in all, but committed orders cost " + committedCents);
        }
    }

    /** Units the order holds by its stock events; a reservation applied twice would show as too many. */
    private static int netUnits(List<Stock.Event> history, String order) {
        int units = 0;
        for (Stock.Event e : history) {
            switch (e) {
                case Stock.Reserved r when r.order().equals(order) -> units += r.units();
                case Stock.Released r when r.order().equals(order) -> units -= r.units();
                default -> { }
            }
        }
        return units;
    }

    /** Cents the order's charge holds by the card's events. */
    private static long netCents(List<Card.Event> history, String order) {
        long cents = 0;
        for (Card.Event e : history) {
            switch (e) {
                case Card.Charged c when c.order().equals(order) -> cents += c.amountCents();
                case Card.Refunded r when r.order().equals(order) -> cents -= r.amountCents();
                default -> { }
            }
        }
        return cents;
    }
}
