package dev.tandem.example.bank.account;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable map from transfer id to {@link Leg}, cheap to update: an update copies one of 64
 * buckets, not the whole map, so an account with many transfers stays fast to evolve.
 */
public final class Legs {

    private static final int BUCKETS = 64;
    public static final Legs EMPTY = new Legs(emptyBuckets(), 0);

    private final Map<UUID, Leg>[] buckets;
    private final int size;

    private Legs(Map<UUID, Leg>[] buckets, int size) {
        this.buckets = buckets;
        this.size = size;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<UUID, Leg>[] emptyBuckets() {
        Map<UUID, Leg>[] b = new Map[BUCKETS];
        Arrays.fill(b, Map.of());
        return b;
    }

    public Leg get(UUID transfer) {
        return buckets[index(transfer)].get(transfer);
    }

    public int size() {
        return size;
    }

    /** These legs with {@code transfer} set to {@code leg}. */
    public Legs with(UUID transfer, Leg leg) {
        int i = index(transfer);
        Map<UUID, Leg> bucket = new HashMap<>(buckets[i]);
        boolean added = bucket.put(transfer, leg) == null;
        Map<UUID, Leg>[] copy = Arrays.copyOf(buckets, BUCKETS);
        copy[i] = Map.copyOf(bucket);
        return new Legs(copy, added ? size + 1 : size);
    }

    private static int index(UUID transfer) {
        return (int) ((transfer.getLeastSignificantBits() ^ transfer.getMostSignificantBits()) & (BUCKETS - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Legs other && Arrays.equals(buckets, other.buckets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
        return "Legs[" + size + "]";
    }
}
