package dev.tandem.bench.store;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An event store implementation the {@link StoreWorkload} can measure; adding a backend to the suite is one
 * small implementation of this and a line in {@link StoreBench#backends}.
 */
public interface StoreBackend extends AutoCloseable {

    /** Names the backend in metric names, e.g. {@code sqlite} in {@code store.append.sqlite.c64.e1}. */
    String name();

    /** Opens a fresh, empty store whose files (if any) live under {@code dir}. */
    EventStore open(Path dir, StoreOptions options) throws Exception;

    /** Releases what the backend started for the run (a database server, say); nothing by default. */
    @Override
    default void close() throws IOException {}
}
