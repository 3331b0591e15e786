package dev.tandem.saga.engine;

import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.TransactionDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of {@link CoordinatorCrashIT}: runs coordinator and banks on SQLite files. With
 * {@code -Dtandem.test.haltAt=<operation>:<n>} it halts (like {@code kill -9}: no shutdown hooks, no flush)
 * when a handler is about to run {@code operation} for the n-th time; otherwise it recovers and exits once
 * every transaction is final.
 */
public final class CrashChild {

    static final int TRANSACTIONS = 12;

    static final TransactionDefinition CRASH_TRANSFER = TransactionDefinition.saga("crash-transfer", 1)
            .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund")
                    .timeout(Duration.ofSeconds(60)).compensationRetry(RetryPolicy.fixed(30, Duration.ofSeconds(1))))
            .step("credit", s -> s.participant("bank-b").action("credit").compensation("uncredit")
                    .timeout(Duration.ofSeconds(60)).compensationRetry(RetryPolicy.fixed(30, Duration.ofSeconds(1))))
            .deadline(Duration.ofMinutes(10))
            .build();

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean creditFails = args[1].equals("credit-fails");
        boolean fresh = args[2].equals("fresh");
        DefinitionRegistry registry = DefinitionRegistry.of(CRASH_TRANSFER);
        // the limit is set before any message is delivered: after a restart the relay re-publishes at once, and a
        // credit handled before the limit was set would commit a transaction that must compensate
        try (EmbeddedSystem system = new EmbeddedSystem(dir, InstantSource.system(), registry, fresh,
                s -> s.bankB.limit = creditFails ? 0 : Long.MAX_VALUE)) {
            // a halt must not lose a start that was asked for: the hook waits until every start is durable
            java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
            String haltAt = System.getProperty("tandem.test.haltAt");
            if (haltAt != null) {
                String op = haltAt.split(":")[0];
                int n = Integer.parseInt(haltAt.split(":")[1]);
                AtomicInteger seen = new AtomicInteger();
                java.util.function.Consumer<String> hook = o -> {
                    if (o.equals(op) && seen.incrementAndGet() == n) {
                        started.join();
                        System.out.println("HALT at " + haltAt);
                        System.out.flush();
                        Runtime.getRuntime().halt(137);
                    }
                };
                system.bankA.beforeOperation = hook;
                system.bankB.beforeOperation = hook;
            }
            java.util.List<java.util.concurrent.CompletableFuture<?>> starts = new java.util.ArrayList<>();
            if (fresh) {
                for (int i = 0; i < TRANSACTIONS; i++) {
                    starts.add(system.coordinator.startAsync("c-" + i, "crash-transfer", "{\"amount\":10}"));
                }
            }
            java.util.concurrent.CompletableFuture.allOf(starts.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .whenComplete((ok, e) -> started.complete(null));
            TransactionQueries queries = new TransactionQueries(system.coordinatorStore, registry, InstantSource.system());
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    Map<Status, Long> counts = queries.countByStatus();
                    return counts.getOrDefault(Status.COMMITTED, 0L) + counts.getOrDefault(Status.COMPENSATED, 0L) == TRANSACTIONS;
                });
                System.out.println("ALL-FINAL " + queries.countByStatus());
                return;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported below
            }
            System.out.println("NOT-FINAL " + queries.countByStatus() + " next timer " + system.coordinator.nextDueAt() + " now "
                    + java.time.Instant.now() + " " + queries.unfinishedOlderThan(Duration.ZERO, 1).stream()
                    .map(t -> system.coordinator.find(t.id()).orElseThrow().toString()).toList());
            System.exit(3);
        }
    }
}
