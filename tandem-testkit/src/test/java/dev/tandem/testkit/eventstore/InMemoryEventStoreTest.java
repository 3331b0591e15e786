package dev.tandem.testkit.eventstore;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.memory.InMemoryEventStore;

class InMemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore createStore(StoreOptions options) {
        return new InMemoryEventStore(options);
    }
}
