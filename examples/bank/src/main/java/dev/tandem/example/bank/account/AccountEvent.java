package dev.tandem.example.bank.account;

import java.util.UUID;

/** What happened to one account; amounts are minor units of the account's currency. */
public sealed interface AccountEvent {

    /** The transfer this event belongs to, or null for events outside transfers. */
    default UUID transfer() {
        return null;
    }

    record Opened(String currency) implements AccountEvent {}

    record Deposited(long amount) implements AccountEvent {}

    record Closed() implements AccountEvent {}

    record FundsReserved(UUID transfer, long amount) implements AccountEvent {}

    record ReservationSettled(UUID transfer, long amount) implements AccountEvent {}

    record ReservationReleased(UUID transfer, long amount) implements AccountEvent {}

    record CreditRegistered(UUID transfer, long amount) implements AccountEvent {}

    record CreditConfirmed(UUID transfer, long amount) implements AccountEvent {}

    record CreditCancelled(UUID transfer, long amount) implements AccountEvent {}

    record Debited(UUID transfer, long amount) implements AccountEvent {}

    record Refunded(UUID transfer, long amount) implements AccountEvent {}

    record Credited(UUID transfer, long amount) implements AccountEvent {}

    /** A saga credit taken back because its transfer was compensated. */
    record CreditReversed(UUID transfer, long amount) implements AccountEvent {}

    /** The barrier's null compensation: a cancel came before its try, so a late try is refused. */
    record CancelledBeforeTry(UUID transfer) implements AccountEvent {}

    /** The event's type name as stored, e.g. {@code FundsReserved}. */
    default String typeName() {
        return getClass().getSimpleName();
    }

    /** The event class stored under {@code typeName}, or null when the name is unknown. */
    static Class<? extends AccountEvent> typeOf(String typeName) {
        for (Class<?> c : AccountEvent.class.getPermittedSubclasses()) {
            if (c.getSimpleName().equals(typeName)) {
                return c.asSubclass(AccountEvent.class);
            }
        }
        return null;
    }
}
