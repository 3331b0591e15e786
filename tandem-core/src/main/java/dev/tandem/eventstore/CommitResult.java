package dev.tandem.eventstore;

import java.util.List;

/** The outcome of a durable commit: one {@link AppendResult} per stream write, in the commit's order. */
public record CommitResult(List<AppendResult> appends) {

    public CommitResult {
        appends = List.copyOf(appends);
    }

    /** The highest global position this commit's events occupy, or 0 when it carried no events. */
    public long lastPosition() {
        long max = 0;
        for (AppendResult a : appends) {
            max = Math.max(max, a.lastPosition());
        }
        return max;
    }
}
