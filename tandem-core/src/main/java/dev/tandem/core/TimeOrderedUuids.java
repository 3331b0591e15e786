package dev.tandem.core;

import java.time.InstantSource;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Creates RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds then random bits, so ids sort by creation time.
 *
 * <p>Within one millisecond ids from one generator keep increasing (the random part is a counter
 * seeded randomly), so they still sort in creation order.
 */
public final class TimeOrderedUuids {

    private final InstantSource clock;
    private final RandomGenerator random;
    private long lastMillis = -1;
    private long randA;
    private long counter;

    public TimeOrderedUuids(InstantSource clock, RandomGenerator random) {
        this.clock = InvalidInputException.requireNonNull(clock, "clock");
        this.random = InvalidInputException.requireNonNull(random, "random");
    }

    /** A generator on the system clock with a thread-safe random source. */
    public static TimeOrderedUuids system() {
        return new TimeOrderedUuids(InstantSource.system(), new java.security.SecureRandom());
    }

    public synchronized UUID next() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            randA = random.nextLong() & 0x0FFFL;
            counter = random.nextLong() & 0x03FF_FFFF_FFFF_FFFFL; // 58 bits: room to count up within a millisecond
        } else {
            counter++; // same or earlier millisecond (clock stepped back): stay monotonic
        }
        long msb = (lastMillis << 16) | 0x7000L | randA;
        long lsb = 0x8000_0000_0000_0000L | (counter & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(msb, lsb);
    }
}
