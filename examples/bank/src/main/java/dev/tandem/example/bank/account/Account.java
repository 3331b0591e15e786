package dev.tandem.example.bank.account;

import dev.tandem.example.bank.account.AccountEvent.CancelledBeforeTry;
import dev.tandem.example.bank.account.AccountEvent.Closed;
import dev.tandem.example.bank.account.AccountEvent.CreditCancelled;
import dev.tandem.example.bank.account.AccountEvent.CreditConfirmed;
import dev.tandem.example.bank.account.AccountEvent.CreditRegistered;
import dev.tandem.example.bank.account.AccountEvent.Credited;
import dev.tandem.example.bank.account.AccountEvent.Debited;
import dev.tandem.example.bank.account.AccountEvent.Deposited;
import dev.tandem.example.bank.account.AccountEvent.FundsReserved;
import dev.tandem.example.bank.account.AccountEvent.Opened;
import dev.tandem.example.bank.account.AccountEvent.Refunded;
import dev.tandem.example.bank.account.AccountEvent.ReservationReleased;
import dev.tandem.example.bank.account.AccountEvent.ReservationSettled;
import java.util.UUID;

/**
 * The state of one account, folded from its events; {@link AccountDecider} holds the rules.
 *
 * <p>{@code balance} is the money the account owns; {@code held} the part of it reserved by
 * transfers not yet settled ({@code balance - held} is available); {@code pendingIn} announced
 * credits not yet confirmed (not spendable). Invariant: {@code 0 <= held <= balance}.
 *
 * @param legs every transfer step this account has seen, by transfer id (the participant barrier)
 */
public record Account(Status status, String currency, long balance, long held, long pendingIn, Legs legs) {

    /** Lifecycle of an account. */
    public enum Status {
        NONE,
        OPEN,
        CLOSED
    }

    public static final Account NONE = new Account(Status.NONE, null, 0, 0, 0, Legs.EMPTY);

    /** What can be spent: the balance minus held funds. */
    public long available() {
        return balance - held;
    }

    public Leg leg(UUID transfer) {
        return legs.get(transfer);
    }

    /** This state with {@code event} applied. */
    public Account evolve(AccountEvent event) {
        return switch (event) {
            case Opened e -> new Account(Status.OPEN, e.currency(), 0, 0, 0, Legs.EMPTY);
            case Deposited e -> with(balance + e.amount(), held, pendingIn);
            case Closed e -> new Account(Status.CLOSED, currency, balance, held, pendingIn, legs);
            case FundsReserved e -> with(balance, held + e.amount(), pendingIn).leg(e.transfer(), Leg.State.RESERVED, e.amount());
            case ReservationSettled e -> with(balance - e.amount(), held - e.amount(), pendingIn).leg(e.transfer(), Leg.State.SETTLED, e.amount());
            case ReservationReleased e -> with(balance, held - e.amount(), pendingIn).leg(e.transfer(), Leg.State.RELEASED, e.amount());
            case CreditRegistered e -> with(balance, held, pendingIn + e.amount()).leg(e.transfer(), Leg.State.CREDIT_PENDING, e.amount());
            case CreditConfirmed e -> with(balance + e.amount(), held, pendingIn - e.amount()).leg(e.transfer(), Leg.State.CREDIT_CONFIRMED, e.amount());
            case CreditCancelled e -> with(balance, held, pendingIn - e.amount()).leg(e.transfer(), Leg.State.CREDIT_CANCELLED, e.amount());
            case Debited e -> with(balance - e.amount(), held, pendingIn).leg(e.transfer(), Leg.State.DEBITED, e.amount());
            case Refunded e -> with(balance + e.amount(), held, pendingIn).leg(e.transfer(), Leg.State.REFUNDED, e.amount());
            case Credited e -> with(balance + e.amount(), held, pendingIn).leg(e.transfer(), Leg.State.CREDITED, e.amount());
            case AccountEvent.CreditReversed e -> with(balance - e.amount(), held, pendingIn).leg(e.transfer(), Leg.State.CREDIT_REVERSED, e.amount());
            case CancelledBeforeTry e -> leg(e.transfer(), Leg.State.CANCELLED_BEFORE_TRY, 0);
        };
    }

    private Account with(long newBalance, long newHeld, long newPendingIn) {
        return new Account(status, currency, newBalance, newHeld, newPendingIn, legs);
    }

    private Account leg(UUID transfer, Leg.State state, long amount) {
        return new Account(status, currency, balance, held, pendingIn, legs.with(transfer, new Leg(state, amount)));
    }
}
