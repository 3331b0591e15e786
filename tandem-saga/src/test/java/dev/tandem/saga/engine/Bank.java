package dev.tandem.saga.engine;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.saga.definition.RetryPolicy;
import dev.tandem.saga.definition.TransactionDefinition;
import dev.tandem.saga.participant.BranchContext;
import dev.tandem.saga.participant.BranchResult;
import dev.tandem.saga.participant.Participant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-account bank used as a participant in tests: balance = sum of its account stream's amounts. */
final class Bank {

    record Transfer(long amount) {}

    record Moved(long amount, String transactionId) {}

    static final TransactionDefinition TRANSFER = TransactionDefinition.saga("transfer", 1)
            .step("debit", s -> s.participant("bank-a").action("debit").compensation("refund")
                    .timeout(Duration.ofSeconds(5)).compensationRetry(RetryPolicy.fixed(3, Duration.ofSeconds(1))))
            .step("credit", s -> s.participant("bank-b").action("credit").compensation("uncredit")
                    .timeout(Duration.ofSeconds(5)).compensationRetry(RetryPolicy.fixed(3, Duration.ofSeconds(1))))
            .deadline(Duration.ofSeconds(60))
            .build();

    static final TransactionDefinition HOLD = TransactionDefinition.tcc("hold", 1)
            .participant("a", p -> p.participant("bank-a").tryOp("reserve").confirm("take").cancel("release"))
            .participant("b", p -> p.participant("bank-b").tryOp("reserve").confirm("take").cancel("release"))
            .build();

    final String name;
    final EventStore store;
    final StreamId account;
    final AtomicInteger effects = new AtomicInteger();
    volatile long limit = Long.MAX_VALUE;
    volatile boolean refundsBroken;
    /** Called with the operation name before each handler runs (a test hook, e.g. to halt the JVM there). */
    volatile java.util.function.Consumer<String> beforeOperation = op -> {};

    Bank(String name, EventStore store, long opening) {
        this(name, store);
        store.append(account, ExpectedVersion.noStream(), List.of(NewEvent.json("Opened", new Moved(opening, "opening"))));
    }

    private Bank(String name, EventStore store) {
        this.name = name;
        this.store = store;
        this.account = StreamId.of("account-" + name);
    }

    /** A bank whose account already exists in {@code store}. */
    static Bank existing(String name, EventStore store) {
        return new Bank(name, store);
    }

    /** How many account movements {@code transactionId} caused here. */
    long movementsOf(String transactionId) {
        return events().stream().filter(e -> e.payloadAs(Moved.class).transactionId().equals(transactionId)).count();
    }

    long balance() {
        return events().stream().mapToLong(e -> e.payloadAs(Moved.class).amount()).sum();
    }

    Participant participant() {
        return Participant.builder(name, store)
                .on("debit", ctx -> move(ctx, -amount(ctx), true))
                .on("refund", ctx -> refundsBroken ? BranchResult.retryLater("refunds are down") : move(ctx, amount(ctx), false))
                .on("credit", ctx -> {
                    beforeOperation.accept("credit");
                    return amount(ctx) > limit ? BranchResult.failed("over the limit of " + name) : move(ctx, amount(ctx), false);
                })
                .on("uncredit", ctx -> move(ctx, -amount(ctx), false))
                .on("reserve", ctx -> move(ctx, 0, true))
                .on("take", ctx -> move(ctx, -amount(ctx), false))
                .on("release", ctx -> move(ctx, 0, false))
                .on("never-answers", ctx -> {
                    throw new dev.tandem.core.NonTransientException("this operation never answers (dead-lettered)");
                })
                .build();
    }

    private static long amount(BranchContext ctx) {
        return ctx.input(Transfer.class).amount();
    }

    private BranchResult move(BranchContext ctx, long delta, boolean checkFunds) {
        beforeOperation.accept(ctx.command().operation());
        List<RecordedEvent> events = events();
        long balance = events.stream().mapToLong(e -> e.payloadAs(Moved.class).amount()).sum();
        if (checkFunds && balance + delta < 0) {
            return BranchResult.failed("insufficient funds in " + name);
        }
        effects.incrementAndGet();
        // credits and refunds need no version guard; debits do, so two debits cannot both pass the funds check
        ExpectedVersion expected = checkFunds ? ExpectedVersion.exactly(events.size()) : ExpectedVersion.any();
        return BranchResult.succeeded(new StreamWrite(account, expected,
                List.of(NewEvent.json("Moved", new Moved(delta, ctx.transactionId())).withMetadata(ctx.metadata()))));
    }

    private List<RecordedEvent> events() {
        return store.readStream(account, 1, ReadDirection.FORWARD, 100_000);
    }
}
