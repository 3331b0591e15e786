package dev.tandem.example.bank.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever sequence of commands arrives, balances stay non-negative and money is conserved. */
class AccountPropertiesTest {

    static final List<UUID> TRANSFERS = List.of(
            UUID.fromString("00000000-0000-0000-0000-00000000000a"),
            UUID.fromString("00000000-0000-0000-0000-00000000000b"),
            UUID.fromString("00000000-0000-0000-0000-00000000000c"));

    @Property(tries = 300)
    void balancesNeverGoNegativeAndHeldNeverExceedsTheBalance(@ForAll("commands") @Size(max = 60) List<AccountCommand> commands) {
        Account subject = Account.NONE.evolve(new AccountEvent.Opened("EUR"));
        for (AccountCommand c : commands) {
            subject = apply(subject, c);
            assertThat(subject.balance()).isGreaterThanOrEqualTo(0);
            assertThat(subject.held()).isBetween(0L, subject.balance());
            assertThat(subject.pendingIn()).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 300)
    void theBalanceEqualsDepositsPlusMoneyInMinusMoneyOutAsRecorded(@ForAll("commands") @Size(max = 60) List<AccountCommand> commands) {
        Account subject = Account.NONE.evolve(new AccountEvent.Opened("EUR"));
        List<AccountEvent> events = new ArrayList<>();
        for (AccountCommand c : commands) {
            if (AccountDecider.decide(subject, c) instanceof Decision.Accepted a) {
                for (AccountEvent e : a.events()) {
                    events.add(e);
                    subject = subject.evolve(e);
                }
            }
        }
        long expected = 0;
        for (AccountEvent e : events) {
            expected += switch (e) {
                case AccountEvent.Deposited d -> d.amount();
                case AccountEvent.ReservationSettled s -> -s.amount();
                case AccountEvent.Debited d -> -d.amount();
                case AccountEvent.Refunded r -> r.amount();
                case AccountEvent.CreditConfirmed c -> c.amount();
                case AccountEvent.Credited c -> c.amount();
                default -> 0;
            };
        }
        assertThat(subject.balance()).isEqualTo(expected);
        long effectiveDebits = events.stream().filter(e -> e instanceof AccountEvent.ReservationSettled || e instanceof AccountEvent.Debited)
                .map(AccountEvent::transfer).distinct().count();
        long debitEvents = events.stream().filter(e -> e instanceof AccountEvent.ReservationSettled || e instanceof AccountEvent.Debited).count();
        assertThat(debitEvents).as("at most one debit per transfer").isEqualTo(effectiveDebits);
    }

    private static Account apply(Account state, AccountCommand c) {
        Decision d = AccountDecider.decide(state, c);
        if (d instanceof Decision.Accepted a) {
            for (AccountEvent e : a.events()) {
                state = state.evolve(e);
            }
        }
        return state;
    }

    @Provide
    Arbitrary<List<AccountCommand>> commands() {
        Arbitrary<UUID> transfer = Arbitraries.of(TRANSFERS);
        Arbitrary<Money> amount = Arbitraries.longs().between(-5, 200).map(m -> Money.of(m, "EUR"));
        Arbitrary<AccountCommand> command = Arbitraries.oneOf(
                amount.map(AccountCommand.Deposit::new),
                Combinators.combine(transfer, amount).as(AccountCommand.Reserve::new),
                transfer.map(AccountCommand.Settle::new),
                transfer.map(AccountCommand.Release::new),
                Combinators.combine(transfer, amount).as(AccountCommand.RegisterCredit::new),
                transfer.map(AccountCommand.ConfirmCredit::new),
                transfer.map(AccountCommand.CancelCredit::new),
                Combinators.combine(transfer, amount).as(AccountCommand.Debit::new),
                transfer.map(AccountCommand.Refund::new),
                Combinators.combine(transfer, amount).as(AccountCommand.Credit::new));
        return command.list();
    }
}
