package dev.tandem.saga.engine;

import dev.tandem.core.TransientException;

/** This coordinator instance does not own the transaction (now); its owner, or a later owner, will drive it. */
public final class NotOwnerException extends TransientException {

    NotOwnerException(String coordinator, String transactionId) {
        super("coordinator " + coordinator + " does not own transaction " + transactionId);
    }
}
