package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    private static final Pattern RESULT = Pattern.compile("RESULT [a-z0-9.]+ \\d+(\\.\\d+)? [a-z/]+");

    @Test
    void printsResultLinesAndLeavesNothingInItsWorkDirectory(@TempDir Path work) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setProperty("tandem.bench.e2e.clients", "8"); // one case of the suite that keeps the most on disk
        int status;
        try {
            status = withStdout(out, () -> Main.run("bench", "e2e-embedded", "--quick", "--work-dir", work.toString()));
        } finally {
            System.clearProperty("tandem.bench.e2e.clients");
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        List<String> results = printed.lines().filter(l -> l.startsWith("RESULT ")).toList();
        assertThat(results).allMatch(l -> RESULT.matcher(l).matches(), "RESULT <metric> <value> <unit>");
        assertThat(results).anyMatch(l -> l.matches("RESULT e2e\\.embedded\\.c8\\.throughput [1-9]\\d* transfers/s"));
        assertThat(results).anyMatch(l -> l.matches("RESULT e2e\\.embedded\\.c8\\.p99 \\d+\\.\\d+ ms"));
        assertThat(printed).contains("# machine: ");
        assertThat(printed).containsPattern("# e2e\\.embedded\\.c8: warm-up \\d+\\.\\d s.*; the JIT compiler ran for \\d+\\.\\d% and garbage collections for \\d+\\.\\d% of the measured time");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.toList()).as("the stores of each case, deleted once it passed").isEmpty();
        }
    }

    @Test
    void refusesAnUnknownSuite() {
        assertThat(Main.run("bench", "no-such-suite")).isEqualTo(2);
    }

    @Test
    void refusesMalformedAndNegativeTimesAsUsageErrorsNamingTheOption(@TempDir Path work) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("bench", "engine", "--warmup", "-5s", "--work-dir", work.toString())).isEqualTo(2);
            assertThat(Main.run("bench", "engine", "--warmup-limit", "soon", "--work-dir", work.toString())).isEqualTo(2);
            assertThat(Main.run("chaos", "--duration", "-1m")).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("tandem bench: --warmup: must not be negative, was '-5s'")
                .contains("tandem bench: --warmup-limit: 'soon' is not a duration such as 500ms, 10s, 2m or 1h")
                .contains("tandem chaos: --duration: must not be negative, was '-1m'")
                .doesNotContain("\tat ");
    }

    @Test
    void everyCommandsHelpRendersWithoutFormattingWarnings() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (String command : new CommandLine(new Main()).getSubcommands().keySet()) {
                assertThat(withStdout(out, () -> Main.run(command, "--help"))).as(command).isZero();
            }
        } finally {
            System.setErr(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("under 2% of each of the last two");
        assertThat(err.toString(StandardCharsets.UTF_8)).as("a '%' in a description must be written '%%'").doesNotContain("WARN");
    }

    private static int withStdout(ByteArrayOutputStream sink, java.util.function.IntSupplier run) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try {
            return run.getAsInt();
        } finally {
            System.setOut(original);
        }
    }
}
