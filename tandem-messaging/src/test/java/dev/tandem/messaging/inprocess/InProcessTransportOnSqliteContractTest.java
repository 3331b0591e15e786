package dev.tandem.messaging.inprocess;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The in-process transport honours the transport contract with inboxes on SQLite files")
class InProcessTransportOnSqliteContractTest extends InProcessTransportContractTest {

    @TempDir
    Path dir;

    @Override
    protected EventStore createStore() {
        return SqliteEventStore.open(dir.resolve(UUID.randomUUID() + ".db"), StoreOptions.defaults());
    }
}
