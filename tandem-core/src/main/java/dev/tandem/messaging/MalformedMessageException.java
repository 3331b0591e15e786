package dev.tandem.messaging;

import dev.tandem.core.NonTransientException;

/** A message (its headers, envelope or payload) cannot be decoded; redelivering it will not help. */
public final class MalformedMessageException extends NonTransientException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
