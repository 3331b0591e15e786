package dev.tandem.saga.engine;

import dev.tandem.core.OwnedElsewhereException;

/**
 * This coordinator instance does not own the transaction (now); its owner, or a later owner, will drive it. A reply
 * that meets it is handed back to the transport, never parked: it reaches the owner once this instance stops consuming.
 */
public final class NotOwnerException extends OwnedElsewhereException {

    NotOwnerException(String coordinator, String transactionId) {
        super("coordinator " + coordinator + " does not own transaction " + transactionId);
    }
}
