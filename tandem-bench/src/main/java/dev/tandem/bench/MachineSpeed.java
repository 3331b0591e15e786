package dev.tandem.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * A fixed piece of single-threaded work, timed: how fast this machine's cores run right now. On a shared machine the
 * same code's figures move by a third between quiet and busy hours with no steal time reported; a report that prints
 * this before and after its cases tells which kind of hour it ran in.
 */
public final class MachineSpeed {

    private static final int BLOCK = 64 * 1024;
    private static final int BLOCKS_PER_ROUND = 64;

    private MachineSpeed() {}

    /** SHA-256 throughput of one thread in MB/s: the best of {@code rounds} rounds of 4 MiB each, after one to warm up. */
    public static double sha256MegabytesPerSecond(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive, was " + rounds);
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r <= rounds; r++) {
            long start = System.nanoTime();
            for (int b = 0; b < BLOCKS_PER_ROUND; b++) {
                digest.update(block);
            }
            block[0] = digest.digest()[0]; // a data dependency, so the work cannot be skipped
            long took = System.nanoTime() - start;
            if (r > 0) {
                best = Math.min(best, took);
            }
        }
        return (double) BLOCK * BLOCKS_PER_ROUND / 1e6 / (Math.max(best, 1) / 1e9);
    }

    /**
     * Nanoseconds per dependent read at random places of a 64 MiB array (a cycle through all of it, so each read waits
     * for the one before): how long a cache miss takes now. The best of {@code rounds} rounds of a million reads.
     */
    public static double randomReadNanos(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive, was " + rounds);
        }
        int[] next = new int[16 * 1024 * 1024];
        for (int i = 0; i < next.length; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = next.length - 1; i > 0; i--) { // Sattolo: one cycle through every index
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        int reads = 1_000_000;
        int at = 0;
        long best = Long.MAX_VALUE;
        for (int r = 0; r <= rounds; r++) {
            long start = System.nanoTime();
            for (int k = 0; k < reads; k++) {
                at = next[at];
            }
            long took = System.nanoTime() - start;
            if (r > 0) {
                best = Math.min(best, took);
            }
        }
        if (at < 0) { // never: keeps the walk from being optimized away
            throw new IllegalStateException();
        }
        return (double) best / reads;
    }
}
