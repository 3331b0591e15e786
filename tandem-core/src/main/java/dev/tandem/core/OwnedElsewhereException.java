package dev.tandem.core;

/**
 * The work belongs to another instance now: another instance of the same service owns it, or this instance's claim on
 * it lapsed (a coordinator whose lease expired). An inbox consumer neither retries such a message in place nor parks
 * it: it hands the delivery back, uncommitted, so that the message is delivered again, to the owner once this instance
 * has stopped consuming.
 */
public class OwnedElsewhereException extends TransientException {

    public OwnedElsewhereException(String message) {
        super(message);
    }
}
