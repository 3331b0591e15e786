package dev.tandem.bench.e2e;

import dev.tandem.example.bank.node.FaultTarget;
import dev.tandem.example.bank.node.ServiceProcess;
import dev.tandem.testkit.kafka.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server and a Kafka broker, each in its own process on 127.0.0.1, with their data under one
 * directory: the distributed mode's infrastructure for chaos runs and benchmarks. Both can be killed (SIGKILL)
 * and started again on the same data, or paused (SIGSTOP) and resumed.
 */
public final class LocalInfra implements AutoCloseable {

    /** The database the services use; each service has its own schema in it. */
    public static final String DATABASE = "tandem";

    private final Postgres postgres;
    private final Kafka kafka;

    private LocalInfra(Postgres postgres, Kafka kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /** Starts PostgreSQL (creating database {@value #DATABASE}) and Kafka with their files under {@code dir}. */
    public static LocalInfra start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = ServiceProcess.freePort();
        Postgres postgres = new Postgres(dir.resolve("postgres"), port, dir.resolve("postgres.log"));
        // pg_ctl detaches the postmaster from its JVM: if this JVM dies without closing, the server must not outlive it.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tandem-postgres-reaper").unstarted(
                () -> postgres.postmaster().ifPresent(ProcessHandle::destroyForcibly)));
        try {
            postgres.start();
            postgres.createDatabase();
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
            Kafka kafka = new Kafka(TestKafka.separateProcess(dir.resolve("kafka")));
            return new LocalInfra(postgres, kafka);
        } catch (IOException | InterruptedException | RuntimeException e) {
            postgres.stop();
            throw e;
        }
    }

    /** The JDBC URL of database {@value #DATABASE}, user in it. */
    public String postgresUrl() {
        return postgres.url(DATABASE);
    }

    public String kafkaBootstrap() {
        return kafka.broker.bootstrapServers();
    }

    public FaultTarget postgres() {
        return postgres;
    }

    public FaultTarget kafka() {
        return kafka;
    }

    @Override
    public void close() {
        try {
            kafka.broker.close();
        } finally {
            postgres.stop();
        }
    }

    /** The PostgreSQL server: a small JVM ({@link PostgresMain}) that starts the postmaster on a fixed data directory and port. */
    private static final class Postgres implements FaultTarget {

        private final Path dataDir;
        private final int port;
        private final ServiceProcess wrapper;

        Postgres(Path dataDir, int port, Path log) {
            this.dataDir = dataDir;
            this.port = port;
            this.wrapper = new ServiceProcess("postgres", port, PostgresMain.class.getName(), List.of("-Xmx256m", "-XX:+UseSerialGC"),
                    List.of(dataDir.toString(), Integer.toString(port)), log);
        }

        String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
        }

        void createDatabase() {
            try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String name() {
            return "postgres";
        }

        /** The postmaster's pid, from its pid file. */
        private Optional<ProcessHandle> postmaster() {
            try {
                Path pidFile = dataDir.resolve("postmaster.pid");
                if (!Files.exists(pidFile)) {
                    return Optional.empty();
                }
                return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public void kill() throws InterruptedException {
            Optional<ProcessHandle> pm = postmaster();
            List<ProcessHandle> backends = pm.map(p -> p.descendants().toList()).orElse(List.of());
            pm.ifPresent(ProcessHandle::destroyForcibly);
            backends.forEach(ProcessHandle::destroyForcibly);
            wrapper.kill();
            for (ProcessHandle p : pm.map(List::of).orElse(List.of())) {
                p.onExit().join();
            }
            for (ProcessHandle p : backends) {
                p.onExit().join();
            }
        }

        /** Starts the server and waits until it answers queries (its port opens before recovery is over). */
        @Override
        public void start() throws IOException, InterruptedException {
            Duration timeout = Duration.ofSeconds(120);
            long deadline = System.nanoTime() + timeout.toNanos();
            wrapper.start(timeout);
            while (true) {
                try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                    return;
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("PostgreSQL did not answer within " + timeout + ": " + e.getMessage(), e);
                    }
                    Thread.sleep(100); // polling a starting server: there is nothing to wait on
                }
            }
        }

        @Override
        public void pause() throws InterruptedException {
            Optional<ProcessHandle> pm = postmaster();
            if (pm.isPresent()) {
                ServiceProcess.signal("-STOP", pm.get().pid());
                for (ProcessHandle p : pm.get().descendants().toList()) {
                    ServiceProcess.signal("-STOP", p.pid());
                }
            }
        }

        @Override
        public void resume() throws InterruptedException {
            Optional<ProcessHandle> pm = postmaster();
            if (pm.isPresent()) {
                for (ProcessHandle p : pm.get().descendants().toList()) {
                    ServiceProcess.signal("-CONT", p.pid());
                }
                ServiceProcess.signal("-CONT", pm.get().pid());
            }
        }

        void stop() {
            try {
                resume();
                wrapper.stop(Duration.ofSeconds(20));
                Optional<ProcessHandle> pm = postmaster();
                if (pm.isPresent() && pm.get().isAlive()) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The Kafka broker, the testkit's separate-process broker. */
    private record Kafka(TestKafka broker) implements FaultTarget {

        @Override
        public String name() {
            return "kafka";
        }

        @Override
        public void kill() {
            broker.kill();
        }

        @Override
        public void start() {
            broker.restart();
        }

        @Override
        public void pause() throws InterruptedException {
            Optional<ProcessHandle> p = process();
            if (p.isPresent()) {
                ServiceProcess.signal("-STOP", p.get().pid());
            }
        }

        @Override
        public void resume() throws InterruptedException {
            Optional<ProcessHandle> p = process();
            if (p.isPresent()) {
                ServiceProcess.signal("-CONT", p.get().pid());
            }
        }

        /** The broker's JVM: the child of this JVM that runs {@code kafka.Kafka}. */
        private static Optional<ProcessHandle> process() {
            return ProcessHandle.current().children()
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains("kafka.Kafka")).orElse(false))
                    .findFirst();
        }
    }
}
