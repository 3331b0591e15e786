package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.testkit.eventstore.EventStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store contract with the stream index and the {@code streams} table filled every 3 events instead of every
 * 16,384: every test then crosses index rounds and tail-index prunes, which the default leaves to long runs.
 */
class SqliteSmallIndexRoundsTest extends EventStoreContract {

    private static final int INDEX_EVERY = 3;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("events.db");
    }

    @Override
    protected EventStore createStore(StoreOptions options) {
        return SqliteEventStore.open(file(), options, INDEX_EVERY);
    }

    @Override
    protected EventStore reopen(EventStore store, StoreOptions options) {
        store.close();
        return SqliteEventStore.open(file(), options, INDEX_EVERY);
    }
}
