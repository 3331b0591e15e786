package dev.tandem.example.bank.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Leg;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferEvent;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRefusedException;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransferCoordinatorTest {

    static final AccountRef ALICE = new AccountRef("A", "alice");
    static final AccountRef BOB = new AccountRef("B", "bob");

    EmbeddedBanks banks;
    TransferCoordinator subject;

    @BeforeEach
    void setUp() throws Exception {
        banks = EmbeddedBanks.inMemory();
        subject = banks.coordinator();
        banks.openAccount(ALICE, Money.of(1_000, "EUR"));
        banks.openAccount(BOB, Money.of(0, "EUR"));
    }

    @AfterEach
    void tearDown() {
        banks.close();
    }

    long balance(AccountRef a) {
        return banks.bank(a.bank()).read(a.account()).balance();
    }

    TransferResult transfer(String key, AccountRef from, AccountRef to, long amount, TransferMode mode) throws Exception {
        return subject.start(new TransferRequest(key, from, to, Money.of(amount, "EUR"), mode)).get();
    }

    @Nested
    class In_both_modes {
        @ParameterizedTest
        @EnumSource(TransferMode.class)
        void movesTheMoneyAndRecordsCommitted(TransferMode mode) throws Exception {
            TransferResult result = transfer("k1", ALICE, BOB, 300, mode);
            assertThat(result.outcome()).isEqualTo(TransferOutcome.COMMITTED);
            assertThat(balance(ALICE)).isEqualTo(700);
            assertThat(balance(BOB)).isEqualTo(300);
            TransferView view = subject.find(result.id());
            assertThat(view.timeline()).extracting(TransferView.Entry::type).containsExactly("TransferStarted", "TransferCommitted");
        }

        @ParameterizedTest
        @EnumSource(TransferMode.class)
        void compensatesOnInsufficientFundsAndLeavesBalancesAlone(TransferMode mode) throws Exception {
            TransferResult result = transfer("k2", ALICE, BOB, 5_000, mode);
            assertThat(result.outcome()).isEqualTo(TransferOutcome.COMPENSATED);
            assertThat(result.reason()).contains("INSUFFICIENT_FUNDS");
            assertThat(balance(ALICE)).isEqualTo(1_000);
            assertThat(balance(BOB)).isZero();
            assertThat(banks.bank("A").read("alice").available()).isEqualTo(1_000);
        }

        @ParameterizedTest
        @EnumSource(TransferMode.class)
        void compensatesATransferToAnUnknownAccountAndRefundsThePayer(TransferMode mode) throws Exception {
            TransferResult result = transfer("k3", ALICE, new AccountRef("B", "nobody"), 100, mode);
            assertThat(result.outcome()).isEqualTo(TransferOutcome.COMPENSATED);
            assertThat(result.reason()).contains("UNKNOWN_ACCOUNT");
            assertThat(balance(ALICE)).isEqualTo(1_000);
            assertThat(banks.bank("A").read("alice").held()).isZero();
        }

        @ParameterizedTest
        @EnumSource(TransferMode.class)
        void refusesACurrencyMismatchWithoutMovingMoney(TransferMode mode) throws Exception {
            TransferResult result = subject.start(new TransferRequest("k4", ALICE, BOB, Money.of(10, "USD"), mode)).get();
            assertThat(result.outcome()).isEqualTo(TransferOutcome.COMPENSATED);
            assertThat(result.reason()).contains("CURRENCY_MISMATCH");
            assertThat(balance(ALICE)).isEqualTo(1_000);
        }
    }

    @Nested
    class Requests {
        @Test
        void refusesASameAccountTransferBeforeRecordingAnything() {
            TransferRequest r = new TransferRequest("same", ALICE, ALICE, Money.of(1, "EUR"), TransferMode.TCC);
            assertThatThrownBy(() -> subject.start(r)).isInstanceOfSatisfying(TransferRefusedException.class,
                    e -> assertThat(e.refusal().reason()).isEqualTo(Refusal.Reason.SAME_ACCOUNT));
            assertThat(subject.find(r.transferId())).isNull();
        }

        @Test
        void refusesAZeroAmount() {
            TransferRequest r = new TransferRequest("zero", ALICE, BOB, Money.of(0, "EUR"), TransferMode.TCC);
            assertThatThrownBy(() -> subject.start(r)).isInstanceOfSatisfying(TransferRefusedException.class,
                    e -> assertThat(e.refusal().reason()).isEqualTo(Refusal.Reason.INVALID_AMOUNT));
        }

        @Test
        void answersARepeatedIdempotencyKeyWithTheFirstOutcomeAndMovesMoneyOnce() throws Exception {
            TransferResult first = transfer("same-key", ALICE, BOB, 100, TransferMode.TCC);
            TransferResult again = transfer("same-key", ALICE, BOB, 100, TransferMode.TCC);
            assertThat(again).isEqualTo(first);
            assertThat(balance(ALICE)).isEqualTo(900);
        }

        @Test
        void refusesAKeyReusedForADifferentTransfer() throws Exception {
            transfer("reused", ALICE, BOB, 100, TransferMode.TCC);
            assertThatThrownBy(() -> transfer("reused", ALICE, BOB, 200, TransferMode.TCC))
                    .hasCauseInstanceOf(TransferRefusedException.class).hasMessageContaining("IDEMPOTENCY_KEY_REUSED");
        }
    }

    @Nested
    class Recovery {
        @Test
        void finishesATransferStartedBeforeACrashAndMovesTheMoneyOnce() throws Exception {
            InMemoryEventStore coordinatorStore = new InMemoryEventStore();
            TransferRequest r = new TransferRequest("crashed", ALICE, BOB, Money.of(250, "EUR"), TransferMode.TCC);
            coordinatorStore.commit(Commit.of(TransferCoordinator.stream(r.transferId()), ExpectedVersion.noStream(),
                    List.of(TransferCoordinator.encode(r.transferId(), TransferEvent.TransferStarted.of(r)))));
            // The crashed driver got as far as the reservation in A.
            banks.bank("A").execute("alice", new AccountCommand.Reserve(r.transferId(), r.amount())).get();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try {
                TransferCoordinator restarted = new TransferCoordinator(coordinatorStore, Participants.inProcess(banks.banks()), timer);
                assertThat(restarted.recover()).isEqualTo(1);
                TransferResult result = restarted.start(r).get();
                assertThat(result.outcome()).isEqualTo(TransferOutcome.COMMITTED);
                assertThat(balance(ALICE)).isEqualTo(750);
                assertThat(balance(BOB)).isEqualTo(250);
                assertThat(restarted.recover()).isZero();
            } finally {
                timer.shutdownNow();
            }
        }

        @Test
        void aLateTryAfterACancelIsRefusedSoNothingHangs() throws Exception {
            TransferResult result = transfer("late", ALICE, new AccountRef("B", "nobody"), 100, TransferMode.TCC);
            Reply late = banks.bank("A").execute("alice", new AccountCommand.Reserve(result.id(), Money.of(100, "EUR"))).get();
            assertThat(late).isInstanceOfSatisfying(Reply.Refused.class,
                    r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.TRANSFER_CANCELLED));
            assertThat(banks.bank("A").read("alice").leg(result.id()).state()).isEqualTo(Leg.State.RELEASED);
            assertThat(Map.of("held", banks.bank("A").read("alice").held())).containsEntry("held", 0L);
        }
    }
}
