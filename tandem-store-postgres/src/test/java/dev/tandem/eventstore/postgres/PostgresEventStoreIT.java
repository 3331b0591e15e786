package dev.tandem.eventstore.postgres;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.testkit.eventstore.EventStoreContract;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The event store contract against a real PostgreSQL, each test in a schema of its own. */
class PostgresEventStoreIT extends EventStoreContract {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static TestDatabase database;
    private String schema;

    @BeforeAll
    static void database() {
        database = TestPostgres.freshDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Override
    protected EventStore createStore(StoreOptions options) {
        schema = "contract_" + SCHEMAS.incrementAndGet();
        return PostgresEventStore.open(database.jdbcUrl(), database.user(), database.password(), schema, options);
    }

    @Override
    protected EventStore reopen(EventStore store, StoreOptions options) {
        store.close();
        return PostgresEventStore.open(database.jdbcUrl(), database.user(), database.password(), schema, options);
    }
}
