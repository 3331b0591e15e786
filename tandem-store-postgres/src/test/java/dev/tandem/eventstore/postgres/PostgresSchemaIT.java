package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tandem.core.IncompatibleSchemaException;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Creating, migrating and refusing schemas. */
class PostgresSchemaIT {

    private static TestDatabase database;

    @BeforeAll
    static void database() {
        database = TestPostgres.freshDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static PostgresEventStore open(String schema) {
        return PostgresEventStore.open(database.jdbcUrl(), database.user(), database.password(), schema, StoreOptions.defaults());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Nested
    class OnAFreshDatabase {

        @Test
        void createsTheSchemaAtTheLatestVersionAndReopensIt() throws Exception {
            try (PostgresEventStore subject = open("fresh")) {
                subject.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Created", "x")));
            }
            try (PostgresEventStore subject = open("fresh")) {
                assertThat(subject.streamVersion(StreamId.of("s"))).isEqualTo(1);
            }
            try (Connection c = database.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version, success FROM fresh.tandem_schema_history WHERE version IS NOT NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1");
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }

        @Test
        void keepsStoresInDifferentSchemasApart() {
            try (PostgresEventStore left = open("left"); PostgresEventStore right = open("right")) {
                left.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Created", "x")));
                assertThat(right.streamVersion(StreamId.of("s"))).isZero();
                assertThat(right.lastPosition()).isZero();
            }
        }

        @Test
        void rejectsASchemaNameThatIsNotAPlainIdentifier() {
            assertThatThrownBy(() -> open("Bad-Name; DROP")).isInstanceOf(InvalidInputException.class).hasMessageContaining("schema");
            assertThatThrownBy(() -> open(" ")).isInstanceOf(InvalidInputException.class);
        }
    }

    @Nested
    class WithADataSourceItDoesNotOwn {

        @Test
        void usesItAndLeavesItOpenOnClose() throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.user());
            config.setMaximumPoolSize(4);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                try (PostgresEventStore subject = PostgresEventStore.open(pool, "injected", StoreOptions.defaults())) {
                    subject.append(StreamId.of("s"), ExpectedVersion.noStream(), List.of(NewEvent.json("Created", "x")));
                }
                assertThat(pool.isClosed()).isFalse();
                try (PostgresEventStore subject = PostgresEventStore.open(pool, "injected", StoreOptions.defaults())) {
                    assertThat(subject.streamVersion(StreamId.of("s"))).isEqualTo(1);
                }
            }
        }
    }

    @Nested
    class RefusesASchemaItCannotUse {

        @Test
        void whenItWasMigratedByANewerVersion() throws Exception {
            open("newer").close();
            execute("INSERT INTO newer.tandem_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
                    + "execution_time, success) VALUES (100, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 0, 'test', 0, true)");

            assertThatThrownBy(() -> open("newer")).isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("999")
                    .satisfies(e -> assertThat(((TandemException) e).isTransient()).isFalse());
        }

        @Test
        void whenAMigrationFailed() throws Exception {
            open("failed").close();
            execute("UPDATE failed.tandem_schema_history SET success = false WHERE version = '1'");

            assertThatThrownBy(() -> open("failed")).isInstanceOf(IncompatibleSchemaException.class);
        }

        @Test
        void whenTheSchemaHoldsForeignTables() throws Exception {
            execute("CREATE SCHEMA foreign_app");
            execute("CREATE TABLE foreign_app.orders (id int PRIMARY KEY)");

            assertThatThrownBy(() -> open("foreign_app")).isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("foreign_app");
        }

        @Test
        void whenATableDisappearsWhileTheStoreRuns() throws Exception {
            try (PostgresEventStore subject = open("vanishing")) {
                execute("DROP TABLE vanishing.events");

                assertThatThrownBy(() -> subject.append(StreamId.of("s"), ExpectedVersion.any(), List.of(NewEvent.json("Created", "x"))))
                        .isInstanceOf(IncompatibleSchemaException.class);
                assertThatThrownBy(() -> subject.readAll(0, 10)).isInstanceOf(IncompatibleSchemaException.class);
            }
        }
    }
}
