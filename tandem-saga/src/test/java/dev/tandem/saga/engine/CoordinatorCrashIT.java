package dev.tandem.saga.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's process dies abruptly mid-transaction or mid-compensation; a restart finishes every transaction once.
 *
 * <p>The child is {@link CrashChild}; it halts the JVM ({@code Runtime.halt}: no shutdown hooks, no flush, like
 * {@code kill -9}) inside a participant's handler, then a second child recovers from the same files.
 */
class CoordinatorCrashIT {

    @TempDir
    Path dir;

    @Test
    void aCrashMidTransactionEndsEveryTransactionFinalWithoutDoubleEffects() throws Exception {
        assertThat(child("credit-works", "fresh", "credit:4")).contains("HALT at credit:4");

        assertThat(child("credit-works", "recover", null)).contains("ALL-FINAL");

        verify(false);
    }

    @Test
    void aCrashMidCompensationEndsEveryTransactionCompensatedWithoutDoubleRefunds() throws Exception {
        assertThat(child("credit-fails", "fresh", "refund:3")).contains("HALT at refund:3");

        assertThat(child("credit-fails", "recover", null)).contains("ALL-FINAL");

        verify(true);
    }

    private void verify(boolean allCompensated) {
        DefinitionRegistry registry = DefinitionRegistry.of(CrashChild.CRASH_TRANSFER);
        try (SqliteEventStore coordinatorStore = SqliteEventStore.open(dir.resolve("coordinator.db"), StoreOptions.defaults());
                SqliteEventStore storeA = SqliteEventStore.open(dir.resolve("bank-a.db"), StoreOptions.defaults());
                SqliteEventStore storeB = SqliteEventStore.open(dir.resolve("bank-b.db"), StoreOptions.defaults())) {
            Bank a = Bank.existing("bank-a", storeA);
            Bank b = Bank.existing("bank-b", storeB);
            Coordinator reader = new Coordinator("coordinator", coordinatorStore, registry, InstantSource.system(),
                    new java.util.SplittableRandom(1), Ownership.all());
            for (int i = 0; i < CrashChild.TRANSACTIONS; i++) {
                String id = "c-" + i;
                Status status = reader.find(id).orElseThrow().status();
                assertThat(PostgresKafkaEngineIT.terminalEvents(coordinatorStore, id)).as("one outcome of " + id).isEqualTo(1);
                if (allCompensated) {
                    assertThat(status).as(id).isEqualTo(Status.COMPENSATED);
                }
                if (status == Status.COMMITTED) {
                    assertThat(a.movementsOf(id)).as("debits of " + id).isEqualTo(1);
                    assertThat(b.movementsOf(id)).as("credits of " + id).isEqualTo(1);
                } else {
                    assertThat(status).as(id).isEqualTo(Status.COMPENSATED);
                    assertThat(a.movementsOf(id)).as("debit + refund of " + id).isIn(0L, 2L);
                    assertThat(b.movementsOf(id)).as("credit + uncredit of " + id).isIn(0L, 2L);
                }
            }
            assertThat(a.balance() + b.balance()).as("money is conserved").isEqualTo(1000);
        }
    }

    private String child(String creditMode, String phase, String haltAt) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        if (haltAt != null) {
            command.add("-Dtandem.test.haltAt=" + haltAt);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(dir.toString());
        command.add(creditMode);
        command.add(phase);
        Path log = Path.of("target", "crash-child-" + creditMode + "-" + phase + ".log");
        java.nio.file.Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("child finished: %s", output).isTrue();
        return output;
    }
}
