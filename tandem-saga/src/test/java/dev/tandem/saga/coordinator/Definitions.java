package dev.tandem.saga.coordinator;

import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.TransactionDefinition;
import java.time.Duration;

/** Definitions shared by the coordinator tests. */
final class Definitions {

    static final RetryPolicy THREE_TRIES = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);
    static final RetryPolicy FOUR_TRIES = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);

    static final TransactionDefinition TRANSFER = TransactionDefinition.saga("transfer", 1)
            .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES).timeout(Duration.ofSeconds(5)))
            .step("credit", s -> s.participant("bank-b").action("credit").compensation("reverse")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES).timeout(Duration.ofSeconds(5)))
            .deadline(Duration.ofSeconds(30))
            .build();

    static final TransactionDefinition FAN_OUT = TransactionDefinition.saga("fan-out", 1)
            .step("reserve", s -> s.participant("stock").action("reserve").compensation("release").retry(THREE_TRIES))
            .parallel(g -> g
                    .step("charge", s -> s.participant("payments").action("charge").compensation("refund").retry(THREE_TRIES))
                    .step("ship", s -> s.participant("shipping").action("ship").compensation("recall").retry(THREE_TRIES)))
            .step("notify", s -> s.participant("mail").action("send").retry(THREE_TRIES))
            .build();

    static final TransactionDefinition BOOKING = TransactionDefinition.tcc("booking", 1)
            .participant("seat", p -> p.participant("flights").tryOp("hold").confirm("book").cancel("release")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES))
            .participant("room", p -> p.participant("hotels").tryOp("hold").confirm("book").cancel("release")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES))
            .deadline(Duration.ofSeconds(30))
            .build();

    /** A saga whose last step has no compensation: its pivot. */
    static final TransactionDefinition PIVOT = TransactionDefinition.saga("pivot", 1)
            .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES).timeout(Duration.ofSeconds(5)))
            .step("credit", s -> s.participant("bank-b").action("credit")
                    .retry(THREE_TRIES).compensationRetry(FOUR_TRIES).timeout(Duration.ofSeconds(5)))
            .deadline(Duration.ofSeconds(30))
            .build();

    static DefinitionRegistry registry() {
        return DefinitionRegistry.of(TRANSFER, FAN_OUT, BOOKING, PIVOT);
    }

    private Definitions() {}
}
