package dev.tandem.eventstore.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamVersionConflict;
import dev.tandem.eventstore.StreamWrite;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Aggregates kept as event streams: fold, guarded writes, direct commands that ride out conflicts, and what they refuse. */
class AggregateStreamsTest {

    /** A wallet: a balance that never goes negative. */
    record Wallet(long balance) {
        static final Wallet EMPTY = new Wallet(0);

        sealed interface Event {}

        record Deposited(long amount) implements Event {}

        record Withdrawn(long amount) implements Event {}

        Wallet evolve(Event e) {
            return switch (e) {
                case Deposited d -> new Wallet(balance + d.amount());
                case Withdrawn w -> new Wallet(balance - w.amount());
            };
        }

        Decision<Event> withdraw(long amount) {
            return amount > balance ? Decision.refuse("asked " + amount + ", holds " + balance) : Decision.accept(new Withdrawn(amount));
        }
    }

    static final AggregateStreams<Wallet, Wallet.Event> WALLETS = AggregateStreams.of("wallet", Wallet.Event.class, Wallet.EMPTY, Wallet::evolve);

    final InMemoryEventStore store = new InMemoryEventStore();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void executesCommandsAndFoldsTheStreamBackIntoState() {
        assertThat(WALLETS.load(store, "w1")).isEqualTo(new AggregateStreams.Loaded<>(Wallet.EMPTY, 0));
        assertThat(WALLETS.execute(store, "w1", w -> Decision.accept(new Wallet.Deposited(100), new Wallet.Deposited(20)))).isEqualTo(new Wallet(120));
        assertThat(WALLETS.execute(store, "w1", w -> w.withdraw(30))).isEqualTo(new Wallet(90));

        assertThat(WALLETS.load(store, "w1")).isEqualTo(new AggregateStreams.Loaded<>(new Wallet(90), 3));
        assertThat(WALLETS.history(store, "w1")).containsExactly(new Wallet.Deposited(100), new Wallet.Deposited(20), new Wallet.Withdrawn(30));
        assertThat(store.readStream(StreamId.of("wallet-w1"), 1, ReadDirection.FORWARD, 10)).extracting(e -> e.type())
                .containsExactly("Deposited", "Deposited", "Withdrawn");
    }

    @Test
    void aRefusedCommandThrowsTheDecidersReasonAndWritesNothing() {
        WALLETS.execute(store, "w1", w -> Decision.accept(new Wallet.Deposited(10)));

        assertThatThrownBy(() -> WALLETS.execute(store, "w1", w -> w.withdraw(50)))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("asked 50, holds 10");
                    assertThat(e.aggregate()).isEqualTo(StreamId.of("wallet-w1"));
                });
        assertThat(WALLETS.load(store, "w1").version()).isEqualTo(1);
    }

    @Test
    void aWriteExpectsTheVersionItsDecisionReadSoAChangeInBetweenConflicts() {
        WALLETS.execute(store, "w1", w -> Decision.accept(new Wallet.Deposited(100)));
        AggregateStreams.Loaded<Wallet> read = WALLETS.load(store, "w1");
        StreamWrite write = WALLETS.write("w1", read, List.of(new Wallet.Withdrawn(100)), Metadata.EMPTY.withTransactionId("tx-1"));
        WALLETS.execute(store, "w1", w -> w.withdraw(60)); // lands in between

        assertThatThrownBy(() -> store.append(write.stream(), write.expected(), write.events())).isInstanceOf(StreamVersionConflict.class);
        assertThat(WALLETS.load(store, "w1").state()).as("no double spend").isEqualTo(new Wallet(40));
        assertThat(write.events().getFirst().metadata().transactionId()).isEqualTo("tx-1");
    }

    @Test
    void aDirectCommandDecidesAgainWhenTheAggregateChangedUnderIt() {
        WALLETS.execute(store, "w1", w -> Decision.accept(new Wallet.Deposited(100)));
        AtomicInteger decisions = new AtomicInteger();

        Wallet after = WALLETS.execute(store, "w1", w -> {
            if (decisions.incrementAndGet() == 1) { // another writer gets in between this read and its append
                store.append(StreamId.of("wallet-w1"), ExpectedVersion.exactly(1), List.of(NewEvent.json("Withdrawn", Map.of("amount", 30))));
            }
            return w.withdraw(50);
        });

        assertThat(decisions).hasValue(2);
        assertThat(after).isEqualTo(new Wallet(20));
        assertThat(WALLETS.load(store, "w1")).isEqualTo(new AggregateStreams.Loaded<>(new Wallet(20), 3));
    }

    @Test
    void aStoredEventItsTypeDoesNotPermitIsANonTransientFailure() {
        store.append(StreamId.of("wallet-w1"), ExpectedVersion.noStream(), List.of(NewEvent.json("Stolen", Map.of("amount", 5))));

        assertThatThrownBy(() -> WALLETS.load(store, "w1")).isInstanceOf(NonTransientException.class)
                .hasMessageContaining("Stolen").hasMessageContaining("wallet-w1");
    }

    sealed interface NotRecords permits Plain {}

    static final class Plain implements NotRecords {}

    interface Open {}

    static final class Outer {
        record Same(int n) implements Twins {}
    }

    sealed interface Twins permits Outer.Same, Same {}

    record Same(int n) implements Twins {}

    @Test
    void refusesEventTypesItCouldNotStoreAndReadBack() {
        assertThatThrownBy(() -> AggregateStreams.of("w", Open.class, 0, (s, e) -> s)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sealed interface");
        assertThatThrownBy(() -> AggregateStreams.of("w", NotRecords.class, 0, (s, e) -> s)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be a record");
        assertThatThrownBy(() -> AggregateStreams.of("w", Twins.class, 0, (s, e) -> s)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("share the name Same");
        assertThatThrownBy(() -> AggregateStreams.of(" ", Wallet.Event.class, Wallet.EMPTY, Wallet::evolve)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WALLETS.write("w1", WALLETS.load(store, "w1"), List.of(), Metadata.EMPTY)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at least one event");
        assertThatThrownBy(() -> WALLETS.execute(store, "w1", w -> null)).isInstanceOf(InvalidInputException.class);
    }
}
