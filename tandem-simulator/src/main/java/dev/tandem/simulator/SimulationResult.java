package dev.tandem.simulator;

import java.time.Duration;

/**
 * What one seed's run did; equal {@link #digest()}s for the same seed prove the run replays identically.
 *
 * @param digest a hash of the full trace of simulated events
 * @param events how many simulated events ran
 * @param virtualTime how much simulated time passed until the run was quiet
 */
public record SimulationResult(
        long seed,
        int transactions,
        int committed,
        int compensated,
        int stuck,
        long events,
        Duration virtualTime,
        long messagesSent,
        long messagesDropped,
        int crashes,
        long digest) {}
