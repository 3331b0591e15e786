package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.bench.e2e.LocalInfra;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem demo} and {@code tandem chaos} end to end: real SQLite files, PostgreSQL, Kafka and child processes. */
class BankDemoIT {

    @TempDir
    Path dir;

    String run(int expectedExit, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.println(text);
        assertThat(exit).as("exit code; output:%n%s", text).isEqualTo(expectedExit);
        return text;
    }

    @Nested
    class The_demo {
        @Test
        void runsTransfersInBothModesAndReportsTheConservationCheck() {
            String tcc = run(0, "demo", "--data-dir", dir.toString(), "--transfers", "600", "--clients", "16");
            assertThat(tcc).contains("600 issued").contains("Check       OK");
            String saga = run(0, "demo", "--data-dir", dir.toString(), "--transfers", "300", "--mode", "saga");
            assertThat(saga).contains("300 issued").contains("Check       OK");
        }
    }

    @Nested
    class The_distributed_demo {
        @Test
        void runsBankABankBAndTheCoordinatorAsProcessesOnPostgresAndKafka() throws Exception {
            try (LocalInfra infra = LocalInfra.start(dir.resolve("infra"))) {
                String out = run(0, "demo", "--data-dir", dir.toString(), "--transfers", "60", "--clients", "16",
                        "--postgres", infra.postgresUrl(), "--kafka", infra.kafkaBootstrap());
                assertThat(out).contains("separate processes").contains("60 issued").contains("Check       OK");
            }
        }
    }

    @Nested
    class Chaos {
        @Test
        void embedded_killsAndPausesTheServicesUnderLoadAndTheCheckerFindsNoViolation() {
            String out = run(0, "chaos", "--duration", "10s", "--fault-every", "2s", "--pause", "5500ms", "--clients", "8",
                    "--data-dir", dir.resolve("chaos").toString(), "--seed", "11");
            assertThat(out).contains("check OK").containsPattern("chaos: [1-9][0-9]* faults");
        }

        @Test
        void distributed_alsoKillsAndPausesPostgresAndKafkaAndTheCheckerFindsNoViolation() {
            String out = run(0, "chaos", "--distributed", "--duration", "10s", "--fault-every", "2s", "--pause", "5500ms", "--clients", "8",
                    "--data-dir", dir.resolve("chaos").toString(), "--seed", "5");
            assertThat(out).contains("PostgreSQL").contains("check OK").containsPattern("chaos: [1-9][0-9]* faults")
                    .as("two coordinator instances, one leading").contains("started coordinator-1").contains("started coordinator-2");
        }

        @Test
        void refusesSeveralCoordinatorsOnSqliteFiles() {
            assertThat(run(2, "chaos", "--coordinators", "2", "--duration", "10s")).doesNotContain("started");
        }
    }
}
