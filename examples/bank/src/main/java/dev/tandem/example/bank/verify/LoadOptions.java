package dev.tandem.example.bank.verify;

import dev.tandem.core.InvalidInputException;
import dev.tandem.example.bank.transfer.TransferMode;
import java.time.Duration;

/**
 * What load to generate.
 *
 * @param clients concurrent clients (closed loop); in open loop, the cap on requests in flight
 * @param transfers how many transfers to issue in total (0: no cap, run for {@code duration})
 * @param duration stop issuing after this long
 * @param ratePerSecond open loop: issue at this fixed rate; 0 for closed loop
 * @param maxAmount amounts are drawn uniformly from 1 to this, in minor units
 * @param currency the accounts' currency
 * @param mode how each transfer runs
 * @param timeout how long a client waits for an outcome before counting it unknown
 * @param keyPrefix prefix of idempotency keys, unique per run
 * @param seed the random seed (account and amount choice)
 */
public record LoadOptions(int clients, long transfers, Duration duration, double ratePerSecond, long maxAmount, String currency,
                          TransferMode mode, Duration timeout, String keyPrefix, long seed) {

    public LoadOptions {
        if (clients < 1) {
            throw InvalidInputException.of("clients", "must be at least 1, was " + clients);
        }
        if (transfers < 0) {
            throw InvalidInputException.negative("transfers", transfers);
        }
        InvalidInputException.requireNonNull(duration, "duration");
        if (ratePerSecond < 0) {
            throw InvalidInputException.of("ratePerSecond", "must not be negative, was " + ratePerSecond);
        }
        if (maxAmount < 1) {
            throw InvalidInputException.of("maxAmount", "must be at least 1, was " + maxAmount);
        }
        InvalidInputException.requireNonNull(mode, "mode");
        InvalidInputException.requireNonNull(timeout, "timeout");
        InvalidInputException.requireText(keyPrefix, "keyPrefix", 64);
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }
}
