package dev.tandem.messaging.kafka;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.NonTransientException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Translates Kafka client failures into Tandem's transient / non-transient errors. */
final class KafkaErrors {

    private KafkaErrors() {}

    static TandemException translate(String what, Throwable failure) {
        if (failure instanceof TandemException tandem) {
            return tandem;
        }
        if (failure instanceof RecordTooLargeException) {
            return InvalidInputException.of("message", what + " was rejected by the broker as too large: " + failure.getMessage());
        }
        if (failure instanceof RetriableException || failure instanceof TimeoutException) {
            return new StoreUnavailableException(what + " failed, the broker may be unreachable: " + failure.getMessage(), failure);
        }
        return new NonTransientException(what + " was rejected: " + failure, failure);
    }
}
