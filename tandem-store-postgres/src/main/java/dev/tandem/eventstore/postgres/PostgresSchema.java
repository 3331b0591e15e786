package dev.tandem.eventstore.postgres;

import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** The store's schema: its name, its advisory lock key, and creating or migrating it with Flyway. */
final class PostgresSchema {

    static final String HISTORY_TABLE = "tandem_schema_history";
    static final String MIGRATIONS = "classpath:db/tandem/postgres";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** First half of the advisory lock key: "TAND" in ASCII, so Tandem's locks are recognisable in pg_locks. */
    static final int LOCK_CLASS = 0x54414E44;

    private PostgresSchema() {}

    static String requireName(String schema) {
        InvalidInputException.requireText(schema, "schema", 63);
        if (!NAME.matcher(schema).matches()) {
            throw InvalidInputException.of("schema", "must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), was '" + schema + "'");
        }
        return schema;
    }

    /** The table's name qualified with the (quoted, so keywords work) schema name. */
    static String table(String schema, String table) {
        return '"' + schema + "\"." + table;
    }

    /** How the channels of {@link #channel} begin. */
    static final String CHANNEL_PREFIX = "tandem_events_";

    /** PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1); a longer channel name is refused by {@code pg_notify}. */
    private static final int MAX_IDENTIFIER = 63;

    /**
     * The channel a writer of this schema notifies and its stores' listeners {@code LISTEN} on (the payload is the schema's
     * name): one per schema, so an append wakes only the stores of its own schema, not every Tandem store listening on the
     * database. {@code tandem_events_<schema>}, or for a schema name too long for that, its first 40 characters and the
     * hex of its lock key; two schemas sharing a channel only cost each other wake-ups, as listeners check the payload.
     */
    static String channel(String schema) {
        String name = CHANNEL_PREFIX + schema;
        if (name.length() <= MAX_IDENTIFIER) {
            return name;
        }
        return CHANNEL_PREFIX + schema.substring(0, MAX_IDENTIFIER - CHANNEL_PREFIX.length() - 9) + '_'
                + String.format(java.util.Locale.ROOT, "%08x", lockKey(schema));
    }

    /** The second half of the advisory lock key that orders the positions of this schema's events. */
    static int lockKey(String schema) {
        CRC32 crc = new CRC32();
        crc.update(schema.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /**
     * Creates the schema or brings it to the latest version; several processes may do so at once
     * (Flyway serialises them with a lock of its own).
     *
     * @throws IncompatibleSchemaException when the schema holds foreign tables, a failed migration,
     *     or migrations newer than this version of Tandem knows
     * @throws StoreUnavailableException when the database cannot be reached
     */
    static void migrate(DataSource dataSource, String schema) {
        Flyway flyway = Flyway.configure(PostgresSchema.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .locations(MIGRATIONS)
                .load();
        try {
            flyway.migrate();
            List<String> problems = new ArrayList<>();
            for (MigrationInfo m : flyway.info().all()) {
                MigrationState state = m.getState();
                if (state.isFailed() || state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                    problems.add("version " + m.getVersion() + " (" + m.getDescription() + ") is " + state.getDisplayName());
                }
            }
            if (!problems.isEmpty()) {
                throw new IncompatibleSchemaException("schema " + schema + " is not usable by this version of Tandem: " + String.join("; ", problems));
            }
        } catch (FlywayException e) {
            throw mapFlyway(schema, e);
        }
    }

    private static TandemException mapFlyway(String schema, FlywayException e) {
        if (PostgresErrors.isConnectionFailure(e)) {
            return new StoreUnavailableException("could not reach PostgreSQL to check schema " + schema + ": " + e.getMessage(), e);
        }
        return new IncompatibleSchemaException("schema " + schema + " cannot be used or migrated: " + e.getMessage(), e);
    }
}
