package dev.tandem.example.bank.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.example.bank.account.AccountCommand.CancelCredit;
import dev.tandem.example.bank.account.AccountCommand.Close;
import dev.tandem.example.bank.account.AccountCommand.ConfirmCredit;
import dev.tandem.example.bank.account.AccountCommand.Credit;
import dev.tandem.example.bank.account.AccountCommand.Debit;
import dev.tandem.example.bank.account.AccountCommand.Deposit;
import dev.tandem.example.bank.account.AccountCommand.Open;
import dev.tandem.example.bank.account.AccountCommand.Refund;
import dev.tandem.example.bank.account.AccountCommand.RegisterCredit;
import dev.tandem.example.bank.account.AccountCommand.Release;
import dev.tandem.example.bank.account.AccountCommand.Reserve;
import dev.tandem.example.bank.account.AccountCommand.Settle;
import dev.tandem.example.bank.account.Refusal.Reason;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AccountDeciderTest {

    static final UUID T1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final UUID T2 = UUID.fromString("00000000-0000-0000-0000-000000000002");

    static Money eur(long minor) {
        return Money.of(minor, "EUR");
    }

    /** Applies {@code command}, requiring acceptance; returns the new state. */
    static Account run(Account state, AccountCommand command) {
        Decision d = AccountDecider.decide(state, command);
        assertThat(d).as("decision for %s", command).isInstanceOf(Decision.Accepted.class);
        Account s = state;
        for (AccountEvent e : ((Decision.Accepted) d).events()) {
            s = s.evolve(e);
        }
        return s;
    }

    static Reason refusal(Account state, AccountCommand command) {
        Decision d = AccountDecider.decide(state, command);
        assertThat(d).as("decision for %s", command).isInstanceOf(Decision.Refused.class);
        return ((Decision.Refused) d).refusal().reason();
    }

    static Account funded(long minor) {
        Account opened = run(Account.NONE, new Open("EUR"));
        return minor == 0 ? opened : run(opened, new Deposit(eur(minor)));
    }

    @Nested
    class Opening_and_deposits {
        @Test
        void opensAnAccountOnceAndRefusesASecondOpen() {
            Account subject = run(Account.NONE, new Open("EUR"));
            assertThat(subject.status()).isEqualTo(Account.Status.OPEN);
            assertThat(refusal(subject, new Open("EUR"))).isEqualTo(Reason.ACCOUNT_EXISTS);
        }

        @Test
        void refusesEveryOperationOnAnUnknownAccountButAcceptsCancelsAsNoOps() {
            assertThat(refusal(Account.NONE, new Deposit(eur(1)))).isEqualTo(Reason.UNKNOWN_ACCOUNT);
            assertThat(refusal(Account.NONE, new Reserve(T1, eur(1)))).isEqualTo(Reason.UNKNOWN_ACCOUNT);
            assertThat(refusal(Account.NONE, new Credit(T1, eur(1)))).isEqualTo(Reason.UNKNOWN_ACCOUNT);
            assertThat(AccountDecider.decide(Account.NONE, new Release(T1))).isEqualTo(new Decision.Accepted(java.util.List.of()));
        }

        @Test
        void refusesZeroNegativeForeignAndOverflowingDeposits() {
            Account subject = funded(100);
            assertThat(refusal(subject, new Deposit(eur(0)))).isEqualTo(Reason.INVALID_AMOUNT);
            assertThat(refusal(subject, new Deposit(eur(-5)))).isEqualTo(Reason.INVALID_AMOUNT);
            assertThat(refusal(subject, new Deposit(Money.of(5, "USD")))).isEqualTo(Reason.CURRENCY_MISMATCH);
            assertThat(refusal(subject, new Deposit(eur(Long.MAX_VALUE)))).isEqualTo(Reason.AMOUNT_OVERFLOW);
            assertThat(subject.balance()).isEqualTo(100);
        }

        @Test
        void closesOnlyAnEmptyAccountAndThenRefusesMoney() {
            assertThat(refusal(funded(1), new Close())).isEqualTo(Reason.ACCOUNT_NOT_EMPTY);
            Account subject = run(run(Account.NONE, new Open("EUR")), new Close());
            assertThat(refusal(subject, new Deposit(eur(1)))).isEqualTo(Reason.ACCOUNT_CLOSED);
            assertThat(refusal(subject, new Reserve(T1, eur(1)))).isEqualTo(Reason.ACCOUNT_CLOSED);
            assertThat(refusal(subject, new RegisterCredit(T1, eur(1)))).isEqualTo(Reason.ACCOUNT_CLOSED);
        }
    }

    @Nested
    class Tcc_on_the_paying_side {
        @Test
        void reservesHoldsThenSettleTakesTheMoneyOut() {
            Account reserved = run(funded(100), new Reserve(T1, eur(30)));
            assertThat(reserved.balance()).isEqualTo(100);
            assertThat(reserved.available()).isEqualTo(70);
            Account subject = run(reserved, new Settle(T1));
            assertThat(subject.balance()).isEqualTo(70);
            assertThat(subject.held()).isZero();
        }

        @Test
        void releaseGivesTheHeldMoneyBack() {
            Account subject = run(run(funded(100), new Reserve(T1, eur(30))), new Release(T1));
            assertThat(subject.available()).isEqualTo(100);
            assertThat(subject.leg(T1).state()).isEqualTo(Leg.State.RELEASED);
        }

        @Test
        void refusesAReservationLargerThanTheAvailableFundsWithoutTouchingTheBalance() {
            Account subject = run(funded(100), new Reserve(UUID.randomUUID(), eur(80)));
            Decision d = AccountDecider.decide(subject, new Reserve(T1, eur(30)));
            assertThat(d).isInstanceOfSatisfying(Decision.Refused.class, r -> {
                assertThat(r.refusal().reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
                assertThat(r.refusal().detail()).contains("available 20");
            });
        }

        @Test
        void acceptsARepeatedReserveOrSettleWithoutNewEvents() {
            Account reserved = run(funded(100), new Reserve(T1, eur(30)));
            assertThat(AccountDecider.decide(reserved, new Reserve(T1, eur(30)))).isEqualTo(new Decision.Accepted(java.util.List.of()));
            Account settled = run(reserved, new Settle(T1));
            assertThat(AccountDecider.decide(settled, new Settle(T1))).isEqualTo(new Decision.Accepted(java.util.List.of()));
            assertThat(settled.balance()).isEqualTo(70);
        }

        @Test
        void recordsACancelThatArrivesBeforeItsTryAndRefusesTheLateTry() {
            Account subject = run(funded(100), new Release(T1));
            assertThat(subject.leg(T1).state()).isEqualTo(Leg.State.CANCELLED_BEFORE_TRY);
            assertThat(refusal(subject, new Reserve(T1, eur(30)))).isEqualTo(Reason.TRANSFER_CANCELLED);
            assertThat(subject.available()).isEqualTo(100);
        }

        @Test
        void refusesToSettleAReservationItNeverMadeOrAlreadyReleased() {
            assertThat(refusal(funded(100), new Settle(T1))).isEqualTo(Reason.UNKNOWN_TRANSFER);
            Account released = run(run(funded(100), new Reserve(T1, eur(30))), new Release(T1));
            assertThat(refusal(released, new Settle(T1))).isEqualTo(Reason.UNKNOWN_TRANSFER);
        }
    }

    @Nested
    class Tcc_on_the_receiving_side {
        @Test
        void registersAPendingCreditThatIsNotSpendableUntilConfirmed() {
            Account pending = run(funded(0), new RegisterCredit(T1, eur(50)));
            assertThat(pending.balance()).isZero();
            assertThat(pending.pendingIn()).isEqualTo(50);
            assertThat(refusal(pending, new Reserve(UUID.randomUUID(), eur(1)))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
            Account subject = run(pending, new ConfirmCredit(T1));
            assertThat(subject.balance()).isEqualTo(50);
            assertThat(subject.pendingIn()).isZero();
        }

        @Test
        void cancelDropsThePendingCreditAndALateRegistrationIsRefused() {
            Account subject = run(run(funded(0), new RegisterCredit(T1, eur(50))), new CancelCredit(T1));
            assertThat(subject.pendingIn()).isZero();
            assertThat(subject.balance()).isZero();
            Account early = run(funded(0), new CancelCredit(T1));
            assertThat(refusal(early, new RegisterCredit(T1, eur(50)))).isEqualTo(Reason.TRANSFER_CANCELLED);
        }
    }

    @Nested
    class Saga_steps {
        @Test
        void debitThenRefundRestoresTheBalanceOnce() {
            Account debited = run(funded(100), new Debit(T1, eur(40)));
            assertThat(debited.balance()).isEqualTo(60);
            Account subject = run(run(debited, new Refund(T1)), new Refund(T1));
            assertThat(subject.balance()).isEqualTo(100);
            assertThat(refusal(subject, new Debit(T1, eur(40)))).isEqualTo(Reason.TRANSFER_CANCELLED);
        }

        @Test
        void creditIsAppliedOnceWhenRepeated() {
            Account subject = run(run(funded(0), new Credit(T1, eur(40))), new Credit(T1, eur(40)));
            assertThat(subject.balance()).isEqualTo(40);
        }

        @Test
        void aReversalTakesACreditBackOnceAndALateCreditAfterItIsRefused() {
            Account credited = run(funded(0), new Credit(T1, eur(40)));
            Account subject = run(run(credited, new AccountCommand.ReverseCredit(T1)), new AccountCommand.ReverseCredit(T1));
            assertThat(subject.balance()).isZero();
            assertThat(refusal(subject, new Credit(T1, eur(40)))).isEqualTo(Reason.TRANSFER_CANCELLED);
            Account before = run(funded(0), new AccountCommand.ReverseCredit(T2));
            assertThat(refusal(before, new Credit(T2, eur(40)))).as("a reversal before its credit").isEqualTo(Reason.TRANSFER_CANCELLED);
        }

        @Test
        void aReversalOfMoneyAlreadySpentIsRefusedAndChangesNothing() {
            Account spent = run(run(funded(0), new Credit(T1, eur(40))), new Debit(T2, eur(30)));
            assertThat(refusal(spent, new AccountCommand.ReverseCredit(T1))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        }

        @Test
        void refusesADebitBeyondTheAvailableFunds() {
            assertThat(refusal(funded(10), new Debit(T1, eur(11)))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        }
    }
}
