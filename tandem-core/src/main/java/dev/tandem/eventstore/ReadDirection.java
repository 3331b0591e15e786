package dev.tandem.eventstore;

/** Which way a stream read goes from its starting version. */
public enum ReadDirection {
    FORWARD,
    BACKWARD
}
