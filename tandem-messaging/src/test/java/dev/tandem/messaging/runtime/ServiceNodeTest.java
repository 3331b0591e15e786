package dev.tandem.messaging.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.inprocess.InProcessTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A service node")
class ServiceNodeTest {

    @TempDir
    Path dir;

    private EventStore storeA;
    private EventStore storeB;
    private final InProcessTransport transport = new InProcessTransport();

    @AfterEach
    void close() {
        transport.close();
        if (storeA != null) {
            storeA.close();
        }
        if (storeB != null) {
            storeB.close();
        }
    }

    private static List<RecordedEvent> read(EventStore store, String stream) {
        return store.readStream(StreamId.of(stream), 1, ReadDirection.FORWARD, 1_000);
    }

    @Test
    void carriesARequestToAnotherServiceAndItsReplyBackOnSqliteStores() throws Exception {
        storeA = SqliteEventStore.open(dir.resolve("a.db"), StoreOptions.defaults());
        storeB = SqliteEventStore.open(dir.resolve("b.db"), StoreOptions.defaults());
        MessageHandler bankB = m -> Commit.builder().append(StreamId.of("account-b"), ExpectedVersion.any(), List.of(
                NewEvent.json("Credited", Map.of("transfer", m.partitionKey())),
                NewEvent.json("CreditDone", Map.of("transfer", m.partitionKey())).withRoute(Route.to(m.source(), m.partitionKey()))));
        MessageHandler bankA = m -> Commit.builder().append(StreamId.of("transfer-" + m.partitionKey()), ExpectedVersion.any(),
                List.of(NewEvent.json("Completed", Map.of())));

        try (ServiceNode a = ServiceNode.builder(storeA, "bank-a", transport).handle("bank-a", bankA).start();
                ServiceNode b = ServiceNode.builder(storeB, "bank-b", transport).handle("bank-b", bankB).start()) {
            for (int i = 0; i < 20; i++) {
                storeA.append(StreamId.of("transfer-" + i), ExpectedVersion.noStream(),
                        List.of(NewEvent.json("Requested", Map.of()).withRoute(Route.to("bank-b", Integer.toString(i)))));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (int i = 0; i < 20; i++) {
                    if (read(storeA, "transfer-" + i).size() < 2) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(read(storeB, "account-b")).hasSize(40);
            assertThat(read(storeA, "transfer-7")).extracting(RecordedEvent::type).containsExactly("Requested", "Completed");
            assertThat(a.inbox("bank-a").deadLetters().list()).isEmpty();
            assertThatThrownBy(() -> b.inbox("elsewhere")).isInstanceOf(InvalidInputException.class).hasMessageContaining("bank-b");
        }
    }

    @Test
    void refusesTwoHandlersForOneDestination() {
        storeA = new dev.tandem.eventstore.memory.InMemoryEventStore();
        ServiceNode.Builder builder = ServiceNode.builder(storeA, "svc", transport).handle("d", m -> Commit.builder());

        assertThatThrownBy(() -> builder.handle("d", m -> Commit.builder()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already has a handler");
    }
}
