package dev.tandem.messaging.kafka;

import dev.tandem.core.NonTransientException;
import dev.tandem.core.TandemException;
import dev.tandem.messaging.DestinationUnavailableException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Translates Kafka client failures into Tandem's transient / non-transient errors. */
final class KafkaErrors {

    private KafkaErrors() {}

    /**
     * @param destination the destination the failed operation was for
     * @param what the operation, e.g. {@code publishing to tandem.bank-b}
     */
    static TandemException translate(String destination, String what, Throwable failure) {
        if (failure instanceof TandemException tandem) {
            return tandem;
        }
        if (failure instanceof RetriableException || failure instanceof TimeoutException) {
            return unavailable(destination, what + " failed, the broker may be unreachable: " + failure.getMessage(), failure);
        }
        return new NonTransientException(what + " was rejected: " + failure, failure);
    }

    static DestinationUnavailableException unavailable(String destination, String detail, Throwable cause) {
        return new DestinationUnavailableException(destination, detail, cause);
    }
}
