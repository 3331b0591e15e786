package dev.tandem.bench.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL (zonky's binaries) on a given data directory and port until terminated:
 * {@code PostgresMain DATA_DIR PORT}. The directory is initialised on first use and reused after that, so the
 * server can be killed and started again on the same data (crash recovery then runs), with fsync on.
 */
public final class PostgresMain {

    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PostgresMain DATA_DIR PORT");
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(new File(args[0]))
                .setCleanDataDirectory(false)
                .setPort(Integer.parseInt(args[1]))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (java.io.IOException e) {
                System.err.println("stopping PostgreSQL failed: " + e);
            }
            stopped.countDown();
        }, "tandem-postgres-shutdown-1"));
        System.out.println("PostgreSQL listening on 127.0.0.1:" + postgres.getPort());
        System.out.flush();
        stopped.await();
    }
}
