package dev.tandem.saga.coordinator;

import dev.tandem.core.NonTransientException;

/** A command that cannot apply to the transaction as it is; nothing was written. */
public final class TransactionRejectedException extends NonTransientException {

    /** Why a command was rejected. */
    public enum Reason {
        /** A start reused a transaction id with a different definition or input. */
        CONFLICTING_START,
        /** The transaction does not exist. */
        NOT_FOUND,
        /** An operator command needs a STUCK transaction. */
        NOT_STUCK
    }

    private final String transactionId;
    private final Reason reason;

    private TransactionRejectedException(String transactionId, Reason reason, String message) {
        super(message);
        this.transactionId = transactionId;
        this.reason = reason;
    }

    public static TransactionRejectedException conflictingStart(String id, String existing, String requested) {
        return new TransactionRejectedException(id, Reason.CONFLICTING_START,
                "transaction " + id + " already exists as " + existing + "; a start with " + requested + " is refused");
    }

    public static TransactionRejectedException notFound(String id) {
        return new TransactionRejectedException(id, Reason.NOT_FOUND, "transaction " + id + " does not exist");
    }

    public static TransactionRejectedException notStuck(String id, Status status) {
        return new TransactionRejectedException(id, Reason.NOT_STUCK,
                "transaction " + id + " is " + status + "; operator commands apply only to STUCK transactions");
    }

    public String transactionId() {
        return transactionId;
    }

    public Reason reason() {
        return reason;
    }
}
