package dev.tandem.simulator.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened in a simulation: a digest over every entry (to prove two runs identical) and the last entries in full.
 */
public final class Trace {

    private final int keep;
    private final ArrayDeque<Entry> last;

    private record Entry(long nanos, String text) {}
    private long digest = 0xcbf29ce484222325L; // FNV-1a 64 offset basis
    private long entries;

    /** @param keep how many of the latest entries to keep for a failure report */
    public Trace(int keep) {
        this.keep = Math.max(0, keep);
        this.last = new ArrayDeque<>(Math.min(this.keep, 1024));
    }

    /** Records an entry at virtual time {@code nanos}. */
    public void record(long nanos, String entry) {
        mix(nanos);
        for (int i = 0; i < entry.length(); i++) {
            mix(entry.charAt(i));
        }
        entries++;
        if (keep > 0) {
            if (last.size() == keep) {
                last.removeFirst();
            }
            last.addLast(new Entry(nanos, entry));
        }
    }

    private void mix(long value) {
        digest ^= value;
        digest *= 0x100000001b3L;
    }

    private static String format(long nanos, String entry) {
        return String.format("%10.3f ms  %s", nanos / 1e6, entry);
    }

    /** A digest of every entry so far, in order; equal digests mean (almost surely) identical runs. */
    public long digest() {
        return digest;
    }

    public long entries() {
        return entries;
    }

    /** The latest entries, oldest first. */
    public List<String> tail() {
        List<String> out = new ArrayList<>(last.size());
        last.forEach(e -> out.add(format(e.nanos(), e.text())));
        return out;
    }
}
