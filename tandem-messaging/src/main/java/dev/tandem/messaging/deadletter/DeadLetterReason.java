package dev.tandem.messaging.deadletter;

/** Why a message was parked instead of handled or published. */
public enum DeadLetterReason {
    /** The envelope, headers or payload could not be decoded. */
    UNDECODABLE,
    /** No handler knows the message's type. */
    UNKNOWN_TYPE,
    /** The handler or transport refused it with a non-transient error. */
    REJECTED,
    /** Transient failures went on until the retry policy's attempts ran out. */
    OUT_OF_ATTEMPTS,
    /** Larger than the configured limit. */
    TOO_LARGE,
    /** The transport does not know its destination. */
    UNKNOWN_DESTINATION
}
