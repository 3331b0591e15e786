package dev.tandem.example.bank.account;

import static dev.tandem.example.bank.account.Decision.accept;
import static dev.tandem.example.bank.account.Decision.refuse;
import static dev.tandem.example.bank.account.Decision.repeat;

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
import dev.tandem.example.bank.account.AccountCommand.ReverseCredit;
import dev.tandem.example.bank.account.AccountCommand.Settle;
import dev.tandem.example.bank.account.Refusal.Reason;
import java.util.UUID;

/**
 * The account's rules as a pure function: {@code decide(state, command) -> events | refusal}.
 *
 * <p>It is also the participant barrier: a repeated step is accepted with no new events, a cancel
 * or compensation that finds no try records {@link AccountEvent.CancelledBeforeTry}, and a try that
 * arrives after it is refused with {@link Reason#TRANSFER_CANCELLED}.
 */
public final class AccountDecider {

    private AccountDecider() {}

    public static Decision decide(Account state, AccountCommand command) {
        if (command instanceof Open open) {
            return state.status() == Account.Status.NONE
                    ? accept(new AccountEvent.Opened(Money.requireCurrency(open.currency())))
                    : refuse(Reason.ACCOUNT_EXISTS, "the account exists already (" + state.status() + ", " + state.currency() + ")");
        }
        if (state.status() == Account.Status.NONE) {
            return isUndo(command) ? repeat() : refuse(Reason.UNKNOWN_ACCOUNT, "no such account");
        }
        return switch (command) {
            case Open o -> throw new AssertionError("handled above");
            case Deposit d -> deposit(state, d.amount());
            case Close c -> close(state);
            case Reserve r -> reserve(state, r);
            case Settle s -> finish(state, s.transfer(), Leg.State.RESERVED, Leg.State.SETTLED,
                    l -> new AccountEvent.ReservationSettled(s.transfer(), l.amount()));
            case Release r -> undo(state, r.transfer(), Leg.State.RESERVED, Leg.State.RELEASED,
                    l -> new AccountEvent.ReservationReleased(r.transfer(), l.amount()));
            case RegisterCredit rc -> registerCredit(state, rc);
            case ConfirmCredit cc -> finish(state, cc.transfer(), Leg.State.CREDIT_PENDING, Leg.State.CREDIT_CONFIRMED,
                    l -> new AccountEvent.CreditConfirmed(cc.transfer(), l.amount()));
            case CancelCredit cc -> undo(state, cc.transfer(), Leg.State.CREDIT_PENDING, Leg.State.CREDIT_CANCELLED,
                    l -> new AccountEvent.CreditCancelled(cc.transfer(), l.amount()));
            case Debit d -> debit(state, d);
            case Refund r -> undo(state, r.transfer(), Leg.State.DEBITED, Leg.State.REFUNDED,
                    l -> new AccountEvent.Refunded(r.transfer(), l.amount()));
            case Credit c -> credit(state, c);
            case ReverseCredit rc -> reverseCredit(state, rc);
        };
    }

    private static boolean isUndo(AccountCommand command) {
        return command instanceof Release || command instanceof CancelCredit || command instanceof Refund;
    }

    private static Decision deposit(Account state, Money amount) {
        Refusal bad = checkIncoming(state, amount, state.balance() + Math.max(0, state.pendingIn()));
        return bad != null ? new Decision.Refused(bad) : accept(new AccountEvent.Deposited(amount.minor()));
    }

    private static Decision close(Account state) {
        if (state.status() == Account.Status.CLOSED) {
            return repeat();
        }
        if (state.balance() != 0 || state.held() != 0 || state.pendingIn() != 0) {
            return refuse(Reason.ACCOUNT_NOT_EMPTY, "balance " + state.balance() + ", held " + state.held()
                    + ", pending credits " + state.pendingIn() + " must all be 0");
        }
        return accept(new AccountEvent.Closed());
    }

    private static Decision reserve(Account state, Reserve r) {
        Leg leg = state.leg(r.transfer());
        if (leg != null) {
            return tryRepeat(leg, Leg.State.RESERVED, Leg.State.SETTLED, Leg.State.RELEASED, r.transfer());
        }
        Refusal bad = checkOutgoing(state, r.amount());
        return bad != null ? new Decision.Refused(bad) : accept(new AccountEvent.FundsReserved(r.transfer(), r.amount().minor()));
    }

    private static Decision debit(Account state, Debit d) {
        Leg leg = state.leg(d.transfer());
        if (leg != null) {
            return tryRepeat(leg, Leg.State.DEBITED, Leg.State.DEBITED, Leg.State.REFUNDED, d.transfer());
        }
        Refusal bad = checkOutgoing(state, d.amount());
        return bad != null ? new Decision.Refused(bad) : accept(new AccountEvent.Debited(d.transfer(), d.amount().minor()));
    }

    private static Decision registerCredit(Account state, RegisterCredit rc) {
        Leg leg = state.leg(rc.transfer());
        if (leg != null) {
            return tryRepeat(leg, Leg.State.CREDIT_PENDING, Leg.State.CREDIT_CONFIRMED, Leg.State.CREDIT_CANCELLED, rc.transfer());
        }
        Refusal bad = checkIncoming(state, rc.amount(), state.balance() + state.pendingIn());
        return bad != null ? new Decision.Refused(bad) : accept(new AccountEvent.CreditRegistered(rc.transfer(), rc.amount().minor()));
    }

    private static Decision credit(Account state, Credit c) {
        Leg leg = state.leg(c.transfer());
        if (leg != null) {
            return tryRepeat(leg, Leg.State.CREDITED, Leg.State.CREDITED, Leg.State.CREDIT_REVERSED, c.transfer());
        }
        Refusal bad = checkIncoming(state, c.amount(), state.balance() + state.pendingIn());
        return bad != null ? new Decision.Refused(bad) : accept(new AccountEvent.Credited(c.transfer(), c.amount().minor()));
    }

    /** Takes a saga credit back (refused while the money is not available: the compensation is retried); null compensation before it. */
    private static Decision reverseCredit(Account state, ReverseCredit rc) {
        Leg leg = state.leg(rc.transfer());
        if (leg != null && leg.state() == Leg.State.CREDITED && leg.amount() > state.available()) {
            return refuse(Reason.INSUFFICIENT_FUNDS, "cannot take back " + leg.amount() + " of transfer " + rc.transfer()
                    + ", available " + state.available());
        }
        return undo(state, rc.transfer(), Leg.State.CREDITED, Leg.State.CREDIT_REVERSED, l -> new AccountEvent.CreditReversed(rc.transfer(), l.amount()));
    }

    /** A try for a transfer the account has seen: repeat of a success, or refused after its cancel. */
    private static Decision tryRepeat(Leg leg, Leg.State tried, Leg.State confirmed, Leg.State undone, UUID transfer) {
        if (leg.state() == tried || leg.state() == confirmed) {
            return repeat();
        }
        if (leg.state() == undone || leg.state() == Leg.State.CANCELLED_BEFORE_TRY) {
            return refuse(Reason.TRANSFER_CANCELLED, "transfer " + transfer + " was cancelled on this account before this step (" + leg.state() + ")");
        }
        return refuse(Reason.UNKNOWN_TRANSFER, "transfer " + transfer + " already has a different step on this account (" + leg.state() + ")");
    }

    private static Decision finish(Account state, UUID transfer, Leg.State from, Leg.State to,
                                   java.util.function.Function<Leg, AccountEvent> event) {
        Leg leg = state.leg(transfer);
        if (leg != null && leg.state() == from) {
            return accept(event.apply(leg));
        }
        if (leg != null && leg.state() == to) {
            return repeat();
        }
        return refuse(Reason.UNKNOWN_TRANSFER, "transfer " + transfer + " has no " + from + " step to confirm on this account ("
                + (leg == null ? "none" : leg.state()) + ")");
    }

    private static Decision undo(Account state, UUID transfer, Leg.State from, Leg.State to,
                                 java.util.function.Function<Leg, AccountEvent> event) {
        Leg leg = state.leg(transfer);
        if (leg == null) {
            return accept(new AccountEvent.CancelledBeforeTry(transfer));
        }
        if (leg.state() == from) {
            return accept(event.apply(leg));
        }
        if (leg.state() == to || leg.state() == Leg.State.CANCELLED_BEFORE_TRY) {
            return repeat();
        }
        return refuse(Reason.UNKNOWN_TRANSFER, "transfer " + transfer + " cannot be undone on this account from " + leg.state());
    }

    private static Refusal checkOutgoing(Account state, Money amount) {
        Refusal bad = checkAmount(state, amount);
        if (bad == null && amount.minor() > state.available()) {
            bad = Refusal.of(Reason.INSUFFICIENT_FUNDS, "asked " + amount + ", available " + state.available() + " (balance "
                    + state.balance() + ", held " + state.held() + ")");
        }
        return bad;
    }

    /** Refuses an incoming amount that would push {@code total} (balance plus what is announced) past a long. */
    private static Refusal checkIncoming(Account state, Money amount, long total) {
        Refusal bad = checkAmount(state, amount);
        if (bad == null && total > Long.MAX_VALUE - amount.minor()) {
            bad = Refusal.of(Reason.AMOUNT_OVERFLOW, "balance " + state.balance() + " plus pending " + state.pendingIn()
                    + " plus " + amount + " does not fit in a long of minor units");
        }
        return bad;
    }

    private static Refusal checkAmount(Account state, Money amount) {
        if (state.status() == Account.Status.CLOSED) {
            return Refusal.of(Reason.ACCOUNT_CLOSED, "the account is closed");
        }
        if (!amount.currency().equals(state.currency())) {
            return Refusal.of(Reason.CURRENCY_MISMATCH, "the account holds " + state.currency() + ", the amount is " + amount);
        }
        if (amount.minor() <= 0) {
            return Refusal.of(Reason.INVALID_AMOUNT, "the amount must be positive, was " + amount);
        }
        return null;
    }
}
