package dev.tandem.example.bank.verify;

import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.messaging.TraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues transfers through a {@link TransferClient}: closed loop (N clients, each waits for its
 * outcome before the next) or open loop (a fixed rate; latency counts from the intended start, so
 * a stalled system cannot hide its queueing delay).
 */
public final class LoadGenerator {

    static final long ERROR_PAUSE_MILLIS = 50;

    private final TransferClient client;
    private final AccountChooser chooser;
    private final LoadOptions options;
    private final List<IssuedTransfer> issued = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public LoadGenerator(TransferClient client, AccountChooser chooser, LoadOptions options) {
        this.client = client;
        this.chooser = chooser;
        this.options = options;
    }

    /** Transfers whose outcome (or timeout) the clients have seen so far; for progress bars. */
    public long completed() {
        return completed.get();
    }

    /** Requests that failed with an error rather than an outcome (they count as unknown). */
    public long errors() {
        return errors.get();
    }

    /** Runs the load to its end and returns what the clients saw, in no particular order. */
    public List<IssuedTransfer> run() throws InterruptedException {
        ThreadFactory threads = Thread.ofVirtual().name("tandem-load-client-", 1).factory();
        long deadline = System.nanoTime() + options.duration().toNanos();
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(threads)) {
            if (options.openLoop()) {
                openLoop(pool, deadline);
            } else {
                for (int c = 0; c < options.clients(); c++) {
                    long seed = options.seed() + c;
                    pool.execute(() -> closedLoop(new SplittableRandom(seed), deadline));
                }
            }
            pool.shutdown();
            if (!pool.awaitTermination(options.duration().plus(options.timeout()).toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        }
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    private void closedLoop(SplittableRandom random, long deadline) {
        long n;
        while (System.nanoTime() < deadline && (n = claim()) >= 0) {
            issue(n, random, System.nanoTime());
        }
    }

    private void openLoop(ExecutorService pool, long deadline) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(options.seed());
        long periodNanos = (long) (1e9 / options.ratePerSecond());
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(options.clients());
        long n;
        for (long i = 0; (n = claim()) >= 0; i++) {
            long intended = start + i * periodNanos;
            if (intended >= deadline) {
                break;
            }
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            SplittableRandom r = random.split();
            long number = n;
            inFlight.acquire();
            pool.execute(() -> {
                try {
                    issue(number, r, intended);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    /** A client that just failed waits a little, as a real one would, instead of spinning on a service that is down. */
    private static void pauseAfterError() {
        try {
            Thread.sleep(ERROR_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long claim() {
        long n = next.getAndIncrement();
        return options.transfers() == 0 || n < options.transfers() ? n : -1;
    }

    private void issue(long number, SplittableRandom random, long intendedStart) {
        AccountRef[] pair = chooser.pickPair(random);
        long amount = 1 + random.nextLong(options.maxAmount());
        TransferRequest request = new TransferRequest(options.keyPrefix() + "-" + number, pair[0], pair[1],
                Money.of(amount, options.currency()), options.mode());
        // every transfer gets a trace context of its own, which the checker then finds on each of its effects
        TraceContext trace = TraceContext.ofTrace(String.format("00-%016x%016x-%016x-01", random.nextLong() | 1, random.nextLong(), random.nextLong() | 1), null);
        TransferOutcome outcome;
        try {
            outcome = client.transfer(request, trace, options.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = TransferOutcome.PENDING;
        } catch (Exception e) {
            errors.incrementAndGet();
            outcome = TransferOutcome.PENDING;
            pauseAfterError();
        }
        boolean unknown = !outcome.isTerminal();
        long done = unknown ? Long.MAX_VALUE : System.nanoTime();
        issued.add(new IssuedTransfer(request.transferId(), pair[0], pair[1], amount, intendedStart, done, outcome, unknown, trace.traceparent()));
        completed.incrementAndGet();
    }

    /**
     * Resolves every unknown outcome by querying its transfer until it is terminal or {@code patience} runs out.
     * Unresolved ones stay {@code PENDING}, which the checker reports.
     */
    public static List<IssuedTransfer> resolve(List<IssuedTransfer> transfers, TransferClient client, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<IssuedTransfer> out = new ArrayList<>(transfers);
        while (true) {
            boolean pending = false;
            for (int i = 0; i < out.size(); i++) {
                IssuedTransfer t = out.get(i);
                if (!t.outcome().isTerminal()) {
                    IssuedTransfer now = t.withOutcome(queryQuietly(client, t));
                    out.set(i, now);
                    pending |= !now.outcome().isTerminal();
                }
            }
            if (!pending || System.nanoTime() > deadline) {
                return out;
            }
            Thread.sleep(100); // polling interval while the system recovers, not synchronisation
        }
    }

    private static TransferOutcome queryQuietly(TransferClient client, IssuedTransfer t) throws InterruptedException {
        try {
            return client.query(t.id());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return TransferOutcome.PENDING;
        }
    }

    /** Latencies of the transfers whose outcome the client saw, in nanoseconds. */
    public static long[] latencies(List<IssuedTransfer> transfers) {
        return transfers.stream().filter(t -> t.completedNanos() != Long.MAX_VALUE)
                .mapToLong(t -> t.completedNanos() - t.invokedNanos()).sorted().toArray();
    }
}
