package dev.tandem.saga.definition;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;

/**
 * How often and how fast a failed attempt is retried: capped exponential backoff with jitter.
 *
 * @param maxAttempts attempts in total, at least 1 (1 means no retry)
 * @param initialBackoff the delay before the second attempt
 * @param maxBackoff the cap on any delay
 * @param multiplier growth of the delay per attempt, at least 1
 * @param jitter the fraction (0..1) of a delay that is randomised away, spreading retries of many transactions
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

    /** Three attempts, 100 ms doubling up to 5 s, 20 % jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.2);

    /** For compensations, confirms and cancels: ten attempts, 200 ms doubling up to 30 s, 20 % jitter. */
    public static final RetryPolicy PERSISTENT = new RetryPolicy(10, Duration.ofMillis(200), Duration.ofSeconds(30), 2.0, 0.2);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw InvalidInputException.of("retry.maxAttempts", "must be at least 1, was " + maxAttempts);
        }
        requirePositive(initialBackoff, "retry.initialBackoff");
        requirePositive(maxBackoff, "retry.maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw InvalidInputException.of("retry.maxBackoff", "is " + maxBackoff + ", less than initialBackoff " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw InvalidInputException.of("retry.multiplier", "must be a finite number >= 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw InvalidInputException.of("retry.jitter", "must be within 0..1, was " + jitter);
        }
    }

    /** No retry: one attempt only. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0.0);
    }

    /** {@code attempts} attempts with a fixed delay and no jitter. */
    public static RetryPolicy fixed(int attempts, Duration delay) {
        return new RetryPolicy(attempts, delay, delay, 1.0, 0.0);
    }

    /**
     * The delay after failed attempt {@code attempt} (1-based): {@code min(max, initial * multiplier^(attempt-1))},
     * reduced by up to {@code jitter} of itself according to {@code random} in [0, 1).
     */
    public Duration backoff(int attempt, double random) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double jittered = capped * (1.0 - jitter * Math.min(Math.max(random, 0.0), 1.0));
        return Duration.ofNanos(Math.max(1L, (long) jittered));
    }

    static void requirePositive(Duration d, String field) {
        InvalidInputException.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw InvalidInputException.of(field, "must be positive, was " + d);
        }
    }
}
