package dev.tandem.messaging.kafka;

import dev.tandem.core.NonTransientException;

/** A Kafka record that is not a Tandem message: a required CloudEvents header is missing or malformed. */
public final class UndecodableRecordException extends NonTransientException {

    private final String header;

    private UndecodableRecordException(String header, String problem) {
        super("header " + header + ": " + problem);
        this.header = header;
    }

    /** The Kafka header that was missing or malformed. */
    public String header() {
        return header;
    }

    static UndecodableRecordException missing(String header) {
        return new UndecodableRecordException(header, "is missing");
    }

    static UndecodableRecordException malformed(String header, String problem) {
        return new UndecodableRecordException(header, problem);
    }
}
