package dev.tandem.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints and keeps the figures of a run as {@code RESULT <metric> <value> <unit>} lines. */
public final class BenchReport {

    /** One reported figure. */
    public record Result(String metric, double value, String unit) {
        @Override
        public String toString() {
            String v = value == Math.rint(value) && Math.abs(value) < 1e15
                    ? Long.toString((long) value)
                    : String.format(Locale.ROOT, "%.3f", value);
            return "RESULT " + metric + " " + v + " " + unit;
        }
    }

    private final PrintStream out;
    private final List<Result> results = new ArrayList<>();

    public BenchReport(PrintStream out) {
        this.out = out;
    }

    public synchronized void result(String metric, double value, String unit) {
        Result r = new Result(metric, value, unit);
        results.add(r);
        out.println(r);
        out.flush();
    }

    /** A progress or context line, printed with a leading {@code #} so parsers skip it. */
    public synchronized void note(String text) {
        out.println("# " + text);
        out.flush();
    }

    public synchronized List<Result> results() {
        return List.copyOf(results);
    }

    /** The machine the run happened on, as the first lines of every report. */
    public void machine() {
        Runtime rt = Runtime.getRuntime();
        note("machine: " + rt.availableProcessors() + " cores, " + (rt.maxMemory() >> 20) + " MiB max heap, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + ")");
    }
}
