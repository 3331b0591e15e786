package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.testkit.eventstore.EventStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The event store contract, run against a real SQLite database file per test. */
class SqliteEventStoreTest extends EventStoreContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("events.db");
    }

    /** Opens the store under test on this test's file. */
    protected SqliteEventStore open(Path file, StoreOptions options) {
        return SqliteEventStore.open(file, options);
    }

    @Override
    protected EventStore createStore(StoreOptions options) {
        return open(file(), options);
    }

    @Override
    protected EventStore reopen(EventStore store, StoreOptions options) {
        store.close();
        return open(file(), options);
    }
}
