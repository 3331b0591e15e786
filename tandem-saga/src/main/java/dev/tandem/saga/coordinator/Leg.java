package dev.tandem.saga.coordinator;

import java.time.Instant;

/**
 * One phase of one step as the coordinator sees it.
 *
 * @param attempt the last attempt requested, 0 before the first
 * @param budgetStart the attempt from which the retry policy counts (moves on when an operator retries)
 * @param dueAt the timeout of the attempt in flight or the time the next attempt is due; null otherwise
 * @param reason the last failure's reason, or null
 */
public record Leg(LegStatus status, int attempt, int budgetStart, Instant dueAt, String reason) {

    static final Leg IDLE = new Leg(LegStatus.IDLE, 0, 1, null, null);

    /** Attempts counted against the retry policy so far. */
    public int attemptsUsed() {
        return attempt - budgetStart + 1;
    }

    Leg to(LegStatus newStatus, Instant newDueAt, String newReason) {
        return new Leg(newStatus, attempt, budgetStart, newDueAt, newReason);
    }
}
