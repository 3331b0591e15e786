package dev.tandem.example.bank.transfer;

import dev.tandem.example.bank.account.Money;

/** What happened to one transfer, as the coordinator records it in the transfer's stream. */
public sealed interface TransferEvent {

    /** The transfer was accepted for processing. */
    record TransferStarted(String idempotencyKey, String from, String to, long amount, String currency, TransferMode mode)
            implements TransferEvent {

        public static TransferStarted of(TransferRequest r) {
            return new TransferStarted(r.idempotencyKey(), r.from().toString(), r.to().toString(), r.amount().minor(),
                    r.amount().currency(), r.mode());
        }

        public TransferRequest request() {
            return new TransferRequest(idempotencyKey, AccountRef.parse(from, "from"), AccountRef.parse(to, "to"),
                    Money.of(amount, currency), mode);
        }
    }

    /** Done everywhere: the payer was debited and the payee credited. */
    record TransferCommitted() implements TransferEvent {}

    /** Undone everywhere, for {@code reason}. */
    record TransferCompensated(String reason) implements TransferEvent {}

    default String typeName() {
        return getClass().getSimpleName();
    }

    static Class<? extends TransferEvent> typeOf(String typeName) {
        for (Class<?> c : TransferEvent.class.getPermittedSubclasses()) {
            if (c.getSimpleName().equals(typeName)) {
                return c.asSubclass(TransferEvent.class);
            }
        }
        return null;
    }
}
