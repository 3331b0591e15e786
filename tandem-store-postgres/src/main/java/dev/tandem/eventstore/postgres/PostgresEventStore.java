package dev.tandem.eventstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.core.ClosedException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventBatchHandler;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Snapshot;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.support.AppendSignal;
import dev.tandem.eventstore.support.CommitValidator;
import dev.tandem.eventstore.support.GroupCommitter;
import dev.tandem.eventstore.support.PollingSubscription;
import dev.tandem.eventstore.support.ReadChecks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * An {@link EventStore} in a PostgreSQL schema, shared safely by several processes.
 *
 * <p>Commits are group-committed by one writer thread per store, one transaction per batch, under an
 * advisory lock that makes positions commit in order (see {@code PostgresBatchWriter}), so a
 * subscriber never skips an event. Subscriptions wake on this process's writes and on
 * {@code NOTIFY} on the schema's own channel ({@code tandem_events_<schema>}) from other processes' writers, and poll briefly as a fallback.
 * The schema is created or migrated with Flyway on open.
 *
 * <p>A {@link StoreUnavailableException} from a commit means it was not acknowledged; if the connection
 * broke while the {@code COMMIT} was under way it may still have been written, so retry it with the
 * same event ids: the retry finds the events stored and succeeds without writing them twice (and a
 * repeated inbox entry answers {@link dev.tandem.eventstore.DuplicateMessageException} with the first result).
 */
public final class PostgresEventStore implements EventStore {

    /**
     * The store's look-ups are point reads by key (inbox entries, stream tails, event ids), prepared once per
     * connection. PostgreSQL caches a prepared statement's generic plan after five executions, planned with the
     * statistics of that moment: a table that was nearly empty then (every new schema) keeps a sequential scan in
     * the cache while it grows to millions of rows. Planning each execution costs microseconds and always uses the
     * table's current size.
     */
    static final String CUSTOM_PLANS = "plan_cache_mode=force_custom_plan";

    /** How long a subscription waits for a wake-up before reading anyway. */
    private static final Duration IDLE_POLL = Duration.ofMillis(250);

    private final String schema;
    private final StoreOptions options;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final AppendSignal signal = new AppendSignal();
    private final GroupCommitter committer;
    private final NotificationListener listener;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String events;

    private PostgresEventStore(DataSource dataSource, HikariDataSource ownedPool, String schema, StoreOptions options) {
        this.schema = schema;
        this.options = options;
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.events = PostgresSchema.table(schema, "events");
        this.committer = new GroupCommitter("postgres-" + schema, options, new PostgresBatchWriter(dataSource, schema, options.clock()),
                e -> PostgresErrors.map("commit to PostgreSQL schema " + schema, e), signal::signal);
        this.listener = new NotificationListener(dataSource, schema, signal::signal).start();
    }

    /**
     * Opens the store in {@code schema} of the database at {@code jdbcUrl}, with a connection pool it owns
     * and closes; creates or migrates the schema.
     *
     * @param user the user to connect as, or null when the URL names it
     * @param password the password, or null when none is needed or the URL holds it
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws dev.tandem.core.IncompatibleSchemaException when the schema is foreign, newer or failed a migration
     */
    public static PostgresEventStore open(String jdbcUrl, String user, String password, String schema, StoreOptions options) {
        InvalidInputException.requireText(jdbcUrl, "jdbcUrl", 2_000);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw InvalidInputException.of("jdbcUrl", "must start with jdbc:postgresql:, was " + jdbcUrl.substring(0, Math.min(40, jdbcUrl.length())));
        }
        PostgresSchema.requireName(schema);
        InvalidInputException.requireNonNull(options, "options");
        HikariDataSource pool = pool(jdbcUrl, user, password, schema);
        try {
            PostgresSchema.migrate(pool, schema);
            return new PostgresEventStore(pool, pool, schema, options);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens the store in {@code schema} of {@code dataSource}, which the caller owns and closes after the store.
     * The store keeps one connection for {@code LISTEN} and borrows others briefly. Give the pool's connections
     * {@code plan_cache_mode=force_custom_plan} (e.g. the driver property {@code options=-c plan_cache_mode=force_custom_plan},
     * as the store's own pool does): with cached generic plans, look-ups planned while a table was small keep scanning
     * it sequentially after it has grown.
     */
    public static PostgresEventStore open(DataSource dataSource, String schema, StoreOptions options) {
        InvalidInputException.requireNonNull(dataSource, "dataSource");
        PostgresSchema.requireName(schema);
        InvalidInputException.requireNonNull(options, "options");
        PostgresSchema.migrate(dataSource, schema);
        return new PostgresEventStore(dataSource, null, schema, options);
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setPoolName("tandem-postgres-pool-" + schema);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("socketTimeout", "60"); // a hung server fails the batch instead of stalling the writer forever
        config.addDataSourceProperty("options", "-c " + CUSTOM_PLANS);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("could not connect to PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The connections the store uses (for tests of their settings). */
    DataSource dataSource() {
        return dataSource;
    }

    /** The schema this store lives in. */
    public String schema() {
        return schema;
    }

    @Override
    public CompletableFuture<CommitResult> commitAsync(Commit commit) {
        checkOpen();
        return committer.submit(CommitValidator.validate(commit, options));
    }

    /** A commit is durable as it is written here: {@code onWritten} is told just before its future completes. */
    @Override
    public CompletableFuture<CommitResult> commitAsync(Commit commit, Consumer<? super CommitResult> onWritten) {
        InvalidInputException.requireNonNull(onWritten, "onWritten");
        checkOpen();
        return committer.submit(CommitValidator.validate(commit, options), onWritten);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, long fromVersion, ReadDirection direction, int limit) {
        checkOpen();
        ReadChecks.check(stream, fromVersion, direction, limit);
        String sql = direction == ReadDirection.FORWARD
                ? "SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events + " WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?"
                : "SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events + " WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?";
        return query("read stream " + stream, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, stream.value());
                ps.setLong(2, fromVersion);
                ps.setInt(3, limit);
                return events(ps, limit);
            }
        });
    }

    @Override
    public List<RecordedEvent> readAll(long afterPosition, int limit) {
        checkOpen();
        ReadChecks.checkAll(afterPosition, limit);
        return query("read all after position " + afterPosition, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS + " FROM " + events
                    + " WHERE position > ? ORDER BY position LIMIT ?")) {
                ps.setLong(1, afterPosition);
                ps.setInt(2, limit);
                return events(ps, limit);
            }
        });
    }

    private static List<RecordedEvent> events(PreparedStatement ps, int limit) throws SQLException {
        List<RecordedEvent> out = new ArrayList<>(Math.min(limit, 1_024));
        EventRows.Reader reader = new EventRows.Reader();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(reader.event(rs));
            }
        }
        return out;
    }

    @Override
    public long streamVersion(StreamId stream) {
        checkOpen();
        InvalidInputException.requireNonNull(stream, "stream");
        return query("stream version of " + stream, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM " + events + " WHERE stream_id = ?")) {
                ps.setString(1, stream.value());
                return single(ps);
            }
        });
    }

    @Override
    public long lastPosition() {
        checkOpen();
        return query("last position", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(position), 0) FROM " + events)) {
                return single(ps);
            }
        });
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public Map<UUID, InboxRecord> findInbox(String consumer, Collection<UUID> messageIds) {
        checkOpen();
        UUID[] ids = ReadChecks.checkInbox(consumer, messageIds).toArray(UUID[]::new);
        if (ids.length == 0) {
            return Map.of();
        }
        return query("find inbox records", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT consumer, message_id, result, recorded_at, recorded_nano FROM "
                    + PostgresSchema.table(schema, "inbox") + " WHERE consumer = ? AND message_id = ANY(?)")) {
                ps.setString(1, consumer);
                ps.setArray(2, c.createArrayOf("uuid", ids));
                Map<UUID, InboxRecord> found = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        InboxRecord r = EventRows.inbox(rs);
                        found.put(r.messageId(), r);
                    }
                }
                return found;
            }
        });
    }

    @Override
    public int purgeInbox(Instant cutoff) {
        checkOpen();
        InvalidInputException.requireNonNull(cutoff, "cutoff");
        return query("purge inbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + PostgresSchema.table(schema, "inbox")
                    + " WHERE recorded_at < ? OR (recorded_at = ? AND recorded_nano < ?)")) {
                ps.setObject(1, EventRows.micros(cutoff));
                ps.setObject(2, EventRows.micros(cutoff));
                ps.setInt(3, cutoff.getNano());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public OptionalLong loadCheckpoint(String name) {
        checkOpen();
        InvalidInputException.requireText(name, "checkpoint.name", 200);
        return query("load checkpoint " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + PostgresSchema.table(schema, "checkpoints") + " WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        checkOpen();
        InvalidInputException.requireNonNull(snapshot, "snapshot");
        query("save snapshot of " + snapshot.stream(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PostgresSchema.table(schema, "snapshots") + " (stream_id, version, type, state) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, type = excluded.type, state = excluded.state")) {
                ps.setString(1, snapshot.stream().value());
                ps.setLong(2, snapshot.version());
                ps.setString(3, snapshot.type());
                ps.setBytes(4, snapshot.state());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Snapshot> loadSnapshot(StreamId stream) {
        checkOpen();
        InvalidInputException.requireNonNull(stream, "stream");
        return query("load snapshot of " + stream, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version, type, state FROM " + PostgresSchema.table(schema, "snapshots") + " WHERE stream_id = ?")) {
                ps.setString(1, stream.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Snapshot(stream, rs.getLong(1), rs.getString(2), rs.getBytes(3))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Subscription subscribe(SubscriptionRequest request, EventBatchHandler handler) {
        checkOpen();
        InvalidInputException.requireNonNull(request, "request");
        InvalidInputException.requireNonNull(handler, "handler");
        PollingSubscription s = new PollingSubscription(this, request, handler, signal, IDLE_POLL).start();
        subscriptions.add(s);
        if (closed.get()) { // closed while subscribing: do not leave the thread running
            s.close();
            throw new ClosedException("PostgreSQL event store " + schema);
        }
        return s;
    }

    /** Writes the queued commits, stops subscriptions and the listener, and closes the pool if the store owns it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        committer.close();
        subscriptions.forEach(Subscription::close);
        listener.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ClosedException("PostgreSQL event store " + schema);
        }
    }

    /** A unit of JDBC work on a borrowed connection. */
    @FunctionalInterface
    private interface JdbcWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(String what, JdbcWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw PostgresErrors.map(what, e);
        }
    }
}
