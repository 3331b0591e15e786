package dev.tandem.eventstore.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a {@code LISTEN} connection on the schema's own channel ({@link PostgresSchema#channel}) and runs {@code onAppend}
 * whenever a writer (of any process) notifies that it committed events to this schema; reconnects with backoff when the
 * connection breaks.
 */
final class NotificationListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 250;

    private final DataSource dataSource;
    private final String schema;
    private final String channel;
    private final Runnable onAppend;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long received; // written by the listening thread only

    NotificationListener(DataSource dataSource, String schema, Runnable onAppend) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.channel = PostgresSchema.channel(schema);
        this.onAppend = onAppend;
        this.thread = Thread.ofPlatform().name("tandem-postgres-listener-" + schema).daemon(true).unstarted(this::run);
    }

    NotificationListener start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoffMillis = 0;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN \"" + channel + '"');
                }
                backoffMillis = 0;
                onAppend.run(); // appends may have happened while not listening
                listen(c.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                backoffMillis = backoffMillis == 0 ? 100 : Math.min(backoffMillis * 2, 5_000);
                log.warn("LISTEN connection for schema {} failed; reconnecting in {} ms (subscriptions poll meanwhile)", schema, backoffMillis, e);
                try {
                    Thread.sleep(backoffMillis); // reconnect backoff, not synchronisation
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void listen(PGConnection connection) throws SQLException {
        while (running) {
            PGNotification[] notifications = connection.getNotifications(WAIT_MILLIS);
            if (notifications == null) {
                continue;
            }
            received += notifications.length;
            for (PGNotification n : notifications) {
                if (schema.equals(n.getParameter())) {
                    onAppend.run();
                    break;
                }
            }
        }
    }

    /** How many notifications this listener's connection has received, for its schema or (sharing its channel) another's. */
    long received() {
        return received;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
