package dev.tandem.simulator;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;

/**
 * A transaction a scenario asks the simulated client to start.
 *
 * @param transactionId unique within the run
 * @param definition the definition's name (the latest version is used)
 * @param input the transaction's input, JSON text
 * @param startAfter when, after the run begins, the client first tries to start it
 */
public record PlannedTransaction(String transactionId, String definition, String input, Duration startAfter) {

    public PlannedTransaction {
        InvalidInputException.requireText(transactionId, "transactionId", 100);
        InvalidInputException.requireText(definition, "definition", 100);
        InvalidInputException.requireNonNull(input, "input");
        InvalidInputException.requireNonNull(startAfter, "startAfter");
        if (startAfter.isNegative()) {
            throw InvalidInputException.of("startAfter", "must not be negative, was " + startAfter);
        }
    }
}
