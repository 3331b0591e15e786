package dev.tandem.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One empty database on the test server, made for one test class; {@link #close()} drops it.
 *
 * @param name the database's name
 * @param jdbcUrl a JDBC URL of the database, without credentials
 * @param user the user to connect as
 * @param password the password, empty when the server trusts local connections
 */
public record TestDatabase(String name, String jdbcUrl, String user, String password) implements AutoCloseable {

    /** A new connection to this database, in auto-commit mode; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (!user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** An unpooled data source of this database (each {@code getConnection} opens a new connection). */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (!user.isEmpty()) {
            ds.setUser(user);
        }
        if (!password.isEmpty()) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** Drops the database, ending any connection still open to it. */
    @Override
    public void close() {
        TestPostgres.drop(this);
    }
}
