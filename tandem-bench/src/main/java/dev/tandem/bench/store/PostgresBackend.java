package dev.tandem.bench.store;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.postgres.PostgresEventStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL store, one fresh schema per case, the previous case's schema dropped.
 *
 * <p>Uses the server at {@value #URL_VARIABLE} (credentials in the URL or in {@value #USER_VARIABLE} /
 * {@value #PASSWORD_VARIABLE}) when set; otherwise starts an embedded PostgreSQL under the suite's work
 * directory with {@code fsync} and {@code synchronous_commit} on, so every figure is durable.
 */
final class PostgresBackend implements StoreBackend {

    static final String URL_VARIABLE = "TANDEM_BENCH_POSTGRES_URL";
    static final String USER_VARIABLE = "TANDEM_BENCH_POSTGRES_USER";
    static final String PASSWORD_VARIABLE = "TANDEM_BENCH_POSTGRES_PASSWORD";

    private EmbeddedPostgres embedded;
    private String url;
    private String user;
    private String password;
    private int cases;

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public EventStore open(Path dir, StoreOptions options) throws Exception {
        if (url == null) {
            start(dir.getParent().resolve("store.postgres-server"));
        }
        if (cases > 0) {
            execute("DROP SCHEMA IF EXISTS " + schema(cases) + " CASCADE");
        }
        cases++;
        return PostgresEventStore.open(url, user, password, schema(cases), options);
    }

    private static String schema(int n) {
        return "tandem_bench_" + n;
    }

    private void start(Path dataDirectory) throws IOException {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            url = external;
            user = System.getenv(USER_VARIABLE);
            password = System.getenv(PASSWORD_VARIABLE);
            return;
        }
        embedded = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .start();
        url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        user = "postgres";
    }

    private void execute(String sql) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(url, props); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Drops the last case's schema and stops the embedded server, deleting its data. */
    @Override
    public void close() throws IOException {
        try {
            if (url != null && cases > 0) {
                execute("DROP SCHEMA IF EXISTS " + schema(cases) + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IOException("could not drop the benchmark schema " + schema(cases), e);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
