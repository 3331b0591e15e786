package dev.tandem.cli;

import java.util.Locale;
import java.util.function.LongSupplier;

/** A one-line progress bar on standard error, redrawn a few times a second by its own thread. */
final class ProgressBar {

    private static final int WIDTH = 40;

    private final long total;
    private final LongSupplier done;
    private Thread thread;
    private volatile boolean running;
    private long started;

    ProgressBar(long total, LongSupplier done) {
        this.total = total;
        this.done = done;
    }

    void start() {
        running = true;
        started = System.nanoTime();
        thread = Thread.ofPlatform().daemon().name("tandem-progress-1").start(() -> {
            while (running) {
                draw(started);
                try {
                    Thread.sleep(200); // redraw interval
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join();
            draw(started);
            System.err.println();
        }
    }

    private void draw(long started) {
        long n = Math.min(total, done.getAsLong());
        int filled = (int) (WIDTH * n / Math.max(1, total));
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        System.err.printf(Locale.ROOT, "\r[%s%s] %d/%d  %.0f/s ", "#".repeat(filled), ".".repeat(WIDTH - filled), n, total, n / seconds);
        System.err.flush();
    }
}
