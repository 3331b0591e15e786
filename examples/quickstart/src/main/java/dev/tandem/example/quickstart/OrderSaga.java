package dev.tandem.example.quickstart;

import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Duration;

/**
 * The order-placement saga: reserve the stock in the inventory service, then charge the card in the payments
 * service. When the charge is declined (or does not answer in time) the coordinator releases the reservation.
 *
 * <p>The charge has a compensation too, although it is the last step: a charge that times out is compensated, and
 * if it landed late after all, the refund takes it back (or, arriving first, makes the barrier refuse the late
 * charge). Without a compensation it would be the saga's pivot, which the coordinator never abandons.
 */
public final class OrderSaga {

    /** The definition's name: what {@link Orders} starts. */
    public static final String NAME = "place-order";

    /** The participants' destinations (their service names). */
    public static final String INVENTORY = "inventory";
    public static final String PAYMENTS = "payments";

    /** The operations the participants handle. */
    public static final String RESERVE_STOCK = "reserve-stock";
    public static final String RELEASE_STOCK = "release-stock";
    public static final String CHARGE_CARD = "charge-card";
    public static final String REFUND_CARD = "refund-card";

    private static final TransactionDefinition DEFINITION = TransactionDefinition.saga(NAME, 1)
            .step("reserve", s -> s.participant(INVENTORY).action(RESERVE_STOCK).compensation(RELEASE_STOCK)
                    .timeout(Duration.ofSeconds(5))
                    .retry(RetryPolicy.fixed(3, Duration.ofMillis(200)))
                    .compensationRetry(RetryPolicy.PERSISTENT))
            .step("charge", s -> s.participant(PAYMENTS).action(CHARGE_CARD).compensation(REFUND_CARD)
                    .timeout(Duration.ofSeconds(5))
                    .retry(RetryPolicy.fixed(3, Duration.ofMillis(200)))
                    .compensationRetry(RetryPolicy.PERSISTENT))
            .deadline(Duration.ofSeconds(30))
            .build();

    private OrderSaga() {}

    /** Version 1 of the saga; a changed definition gets a new version, and running orders keep the one they started with. */
    public static TransactionDefinition definition() {
        return DEFINITION;
    }
}
