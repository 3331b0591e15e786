package dev.tandem.messaging.retry;

import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a transient failure is retried: capped exponential backoff with jitter.
 *
 * <p>The delay before attempt {@code n + 1} (after {@code n} failed attempts) is
 * {@code min(cap, base * 2^(n-1))}, of which a random fraction up to {@code jitter} is taken off, so
 * many failing consumers do not retry in lockstep.
 *
 * @param maxAttempts how many attempts in all (the first one included) before giving up
 * @param base the delay after the first failure
 * @param cap the longest delay
 * @param jitter the fraction (0–1) of each delay that is randomised away
 * @param random where the jitter comes from (inject a seeded one for reproducible runs)
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, double jitter, RandomGenerator random) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw InvalidInputException.of("retry.maxAttempts", "must be at least 1, was " + maxAttempts);
        }
        InvalidInputException.requireNonNull(base, "retry.base");
        InvalidInputException.requireNonNull(cap, "retry.cap");
        if (base.isNegative() || cap.isNegative()) {
            throw InvalidInputException.of("retry.base", "base " + base + " and cap " + cap + " must not be negative");
        }
        if (cap.compareTo(base) < 0) {
            throw InvalidInputException.of("retry.cap", "must not be shorter than base " + base + ", was " + cap);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw InvalidInputException.of("retry.jitter", "must be between 0 and 1, was " + jitter);
        }
        InvalidInputException.requireNonNull(random, "retry.random");
    }

    /** 10 attempts, 50 ms doubling up to 5 s, half of each delay jittered. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(5), 0.5, ThreadLocalRandom.current());
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, base, cap, jitter, random);
    }

    public RetryPolicy withBackoff(Duration newBase, Duration newCap) {
        return new RetryPolicy(maxAttempts, newBase, newCap, jitter, random);
    }

    public RetryPolicy withRandom(RandomGenerator newRandom) {
        return new RetryPolicy(maxAttempts, base, cap, jitter, newRandom);
    }

    /** Whether another attempt is allowed after {@code failedAttempts} failures. */
    public boolean allowsRetry(int failedAttempts) {
        return failedAttempts < maxAttempts;
    }

    /** The delay before the next attempt after {@code failedAttempts} (≥ 1) failures. */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw InvalidInputException.of("failedAttempts", "must be at least 1, was " + failedAttempts);
        }
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        int shift = Math.min(failedAttempts - 1, 62);
        long full = baseNanos > (capNanos >> shift) ? capNanos : Math.min(capNanos, baseNanos << shift);
        long jittered = (long) (full * jitter * random.nextDouble());
        return Duration.ofNanos(full - jittered);
    }

    /** Whether {@code failure} is worth a retry: a transient {@link TandemException} or any failure Tandem did not classify. */
    public static boolean isTransient(Throwable failure) {
        if (failure instanceof TandemException te) {
            return te.isTransient();
        }
        return !(failure instanceof Error);
    }
}
