package dev.tandem.cli;

import dev.tandem.example.bank.http.HttpBankClient;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.verify.AccountChooser;
import dev.tandem.example.bank.verify.CheckReport;
import dev.tandem.example.bank.verify.LoadOptions;
import dev.tandem.example.bank.verify.Scenario;
import dev.tandem.example.bank.verify.Violation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem chaos}: bank A, bank B and the coordinator as separate processes under load; kills
 * (SIGKILL) and restarts one every few seconds or pauses one (SIGSTOP/SIGCONT) past its timeouts;
 * then heals, resolves every transfer and runs the checker. Exits 1 on any violation.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the bank as separate processes under load while killing and pausing them; then check the bank's guarantees.")
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--duration", description = "How long to inject faults under load (default: ${DEFAULT-VALUE}).", defaultValue = "60s")
    String duration;

    @Option(names = "--fault-every", description = "Time between faults (default: ${DEFAULT-VALUE}).", defaultValue = "3s")
    String faultEvery;

    @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int clients;

    @Option(names = "--mode", description = "tcc or saga (default: ${DEFAULT-VALUE}).", defaultValue = "tcc")
    TransferMode mode;

    @Option(names = "--data-dir", description = "Where the processes keep their stores and logs (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--seed", description = "Random seed for faults and load (default: time).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        Duration run = Durations.parse(duration, "--duration");
        Duration every = Durations.parse(faultEvery, "--fault-every");
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("tandem-chaos-");
        long s = seed != null ? seed : System.nanoTime();
        System.out.println("chaos: seed " + s + ", data and logs in " + dir);
        int portA = ServiceProcess.freePort();
        int portB = ServiceProcess.freePort();
        int portC = ServiceProcess.freePort();
        String store = dir.toString();
        List<ServiceProcess> services = List.of(
                new ServiceProcess("bank A", portA, List.of("bank", "--name", "A", "--port", "" + portA, "--data-dir", store), dir.resolve("bank-A.log")),
                new ServiceProcess("bank B", portB, List.of("bank", "--name", "B", "--port", "" + portB, "--data-dir", store), dir.resolve("bank-B.log")),
                new ServiceProcess("coordinator", portC, List.of("coordinator", "--port", "" + portC, "--data-dir", store,
                        "--bank", "A=http://127.0.0.1:" + portA, "--bank", "B=http://127.0.0.1:" + portB), dir.resolve("coordinator.log")));
        try {
            for (ServiceProcess p : services) {
                p.start();
                System.out.println("chaos: started " + p.name() + " (pid " + p.pid() + ", port " + p.port() + ")");
            }
            return runChecked(services, run, every, s, portA, portB, portC);
        } finally {
            for (ServiceProcess p : services) {
                if (p.alive()) {
                    p.resume();
                    p.kill();
                }
            }
        }
    }

    private int runChecked(List<ServiceProcess> services, Duration run, Duration every, long s, int portA, int portB, int portC)
            throws Exception {
        HttpBankClient client = new HttpBankClient(URI.create("http://127.0.0.1:" + portC),
                Map.of("A", URI.create("http://127.0.0.1:" + portA), "B", URI.create("http://127.0.0.1:" + portB)));
        List<AccountRef> accounts = new ArrayList<>();
        for (String bank : List.of("A", "B")) {
            for (int i = 0; i < 8; i++) {
                AccountRef a = new AccountRef(bank, "acct-" + i);
                client.open(a, 10_000, "EUR");
                accounts.add(a);
            }
        }
        AtomicBoolean loadRunning = new AtomicBoolean(true);
        List<String> faults = new ArrayList<>();
        Thread injector = Thread.ofPlatform().name("tandem-chaos-faults-1").start(() -> inject(services, run, every, s, faults, loadRunning));
        LoadOptions load = new LoadOptions(clients, 0, run, 0, 6_000, "EUR", mode, Duration.ofSeconds(5), "chaos" + Long.toString(s, 36), s);
        Scenario.Result result;
        try {
            result = Scenario.run(client, client, accounts, load, AccountChooser.zipf(accounts, 0.8), Duration.ofMillis(250), g -> {});
        } finally {
            loadRunning.set(false);
            injector.join();
        }
        return summary(result, faults);
    }

    private static void inject(List<ServiceProcess> services, Duration run, Duration every, long seed, List<String> faults, AtomicBoolean running) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        try {
            while (running.get() && System.nanoTime() - start < run.minus(every).toNanos()) {
                Thread.sleep(every.toMillis() / 2 + random.nextLong(every.toMillis())); // fault pacing
                ServiceProcess victim = services.get(random.nextInt(services.size()));
                String at = String.format(Locale.ROOT, "%5.1fs", (System.nanoTime() - start) / 1e9);
                if (random.nextInt(3) < 2) {
                    victim.kill();
                    victim.start();
                    faults.add(at + " SIGKILL + restart " + victim.name());
                } else {
                    victim.pause();
                    Thread.sleep(2_500 + random.nextLong(1_000)); // paused past the 2 s bank timeout
                    victim.resume();
                    faults.add(at + " SIGSTOP/SIGCONT " + victim.name());
                }
                System.out.println("chaos: " + faults.getLast());
            }
        } catch (Exception e) {
            faults.add("fault injection stopped: " + e);
            System.out.println("chaos: " + faults.getLast());
        }
    }

    private static int summary(Scenario.Result result, List<String> faults) {
        CheckReport r = result.report();
        System.out.printf(Locale.ROOT, "chaos: %d faults; %d transfers issued: %d committed, %d compensated (%d unknown outcomes resolved by query)%n",
                faults.size(), r.issued(), r.committed(), r.compensated(), r.resolvedUnknowns());
        System.out.printf(Locale.ROOT, "chaos: total before %d, after %d; %.0f transfers/s; p99 %.1f ms%n", r.initialTotal(), r.finalTotal(),
                result.throughputPerSecond(), result.latencyMillis(99));
        if (r.ok()) {
            System.out.println("chaos: check OK: total conserved, no negative balance, every transfer finished, one debit per transfer");
            return 0;
        }
        System.out.println("chaos: check FAILED:");
        for (Violation v : r.violations()) {
            System.out.println("  " + v);
        }
        return 1;
    }
}
