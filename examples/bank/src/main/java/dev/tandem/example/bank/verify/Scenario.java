package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.transfer.AccountRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One verified run: read the initial balances, drive the load while a reader samples balances,
 * resolve unknown outcomes, read the final state and check it.
 */
public final class Scenario {

    /**
     * What a run produced.
     *
     * @param elapsedNanos from the first request to the last outcome the clients saw
     * @param latencies per-transfer latencies the clients saw, nanoseconds, sorted
     */
    public record Result(CheckReport report, long elapsedNanos, long[] latencies, long clientErrors) {

        public double throughputPerSecond() {
            return report.issued() / (elapsedNanos / 1e9);
        }

        /** The {@code p}-th percentile (0-100) latency in milliseconds. */
        public double latencyMillis(double p) {
            if (latencies.length == 0) {
                return 0;
            }
            int i = (int) Math.min(latencies.length - 1, Math.max(0, Math.ceil(p / 100.0 * latencies.length) - 1));
            return latencies[i] / 1e6;
        }
    }

    private Scenario() {}

    /**
     * Runs {@code load} against {@code accounts}; {@code generatorReady} receives the generator before it starts
     * (for progress display); {@code readEvery} is the pause between balance samples.
     */
    public static Result run(TransferClient client, BankReader reader, List<AccountRef> accounts, LoadOptions load,
                             AccountChooser chooser, Duration readEvery, java.util.function.Consumer<LoadGenerator> generatorReady)
            throws Exception {
        Map<AccountRef, Long> initial = reader.balances(accounts);
        LoadGenerator generator = new LoadGenerator(client, chooser, load);
        generatorReady.accept(generator);
        List<BalanceRead> reads = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().name("tandem-load-reader-1").start(() -> sample(reader, accounts, readEvery, running, reads));
        long start = System.nanoTime();
        List<IssuedTransfer> seen;
        try {
            seen = generator.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        long elapsed = System.nanoTime() - start;
        List<IssuedTransfer> resolved = LoadGenerator.resolve(seen, client, load.timeout().plusSeconds(120));
        RunHistory history = new RunHistory(initial, resolved, reads, reader.balances(accounts), reader.effects(accounts));
        return new Result(BankChecker.check(history), elapsed, LoadGenerator.latencies(seen), generator.errors());
    }

    private static void sample(BankReader reader, List<AccountRef> accounts, Duration every, AtomicBoolean running, List<BalanceRead> reads) {
        while (running.get()) {
            try {
                long s = System.nanoTime();
                Map<AccountRef, Long> balances = reader.balances(accounts);
                reads.add(new BalanceRead(s, System.nanoTime(), balances));
                Thread.sleep(every); // sampling interval, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // A bank may be down (chaos); a missed sample is not evidence of anything.
            }
        }
    }
}
