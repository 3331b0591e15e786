package dev.tandem.eventstore.sqlite;

import dev.tandem.eventstore.StoreOptions;
import java.nio.file.Path;

/**
 * The event store contract with the stream index and the {@code streams} table filled every 3 events instead of every
 * 16,384: every test then crosses index rounds and tail-index prunes, which the default leaves to long runs.
 */
class SqliteSmallIndexRoundsTest extends SqliteEventStoreTest {

    private static final int INDEX_EVERY = 3;

    @Override
    protected SqliteEventStore open(Path file, StoreOptions options) {
        return SqliteEventStore.open(file, options, INDEX_EVERY);
    }
}
