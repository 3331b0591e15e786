package dev.tandem.bench.store;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import java.nio.file.Path;

/** The embedded SQLite store, one database file per case. */
final class SqliteBackend implements StoreBackend {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public EventStore open(Path dir, StoreOptions options) {
        return SqliteEventStore.open(dir.resolve("events.db"), options);
    }
}
