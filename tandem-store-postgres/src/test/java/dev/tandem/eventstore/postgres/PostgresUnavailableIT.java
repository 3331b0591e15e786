package dev.tandem.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that cannot be reached gives a transient error, and nothing acknowledged is lost. */
class PostgresUnavailableIT {

    @Nested
    class WhenNothingListensOnThePort {

        @Test
        void openingFailsWithATransientStoreUnavailableError() throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";

            assertThatThrownBy(() -> PostgresEventStore.open(url, "postgres", null, "tandem", StoreOptions.defaults()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(String.valueOf(port))
                    .satisfies(e -> assertThat(((TandemException) e).isTransient()).isTrue());
        }
    }

    @Nested
    class WhenTheServerStopsWhileTheStoreIsOpen {

        @TempDir
        Path dataDirectory;

        private EmbeddedPostgres start(int port) throws IOException {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        }

        @Test
        void appendsFailTransientlyAndTheAcknowledgedOnesSurviveTheRestart() throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            EmbeddedPostgres server = start(port);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            StreamId stream = StreamId.of("survivor");
            List<NewEvent> acknowledged = new ArrayList<>();
            try (PostgresEventStore subject = PostgresEventStore.open(url, "postgres", null, "tandem", StoreOptions.defaults())) {
                for (int i = 0; i < 20; i++) {
                    NewEvent e = NewEvent.json("Deposited", i);
                    subject.append(stream, ExpectedVersion.exactly(i), List.of(e));
                    acknowledged.add(e);
                }

                server.close();

                assertThatThrownBy(() -> subject.append(stream, ExpectedVersion.exactly(20), List.of(NewEvent.json("Deposited", 20))))
                        .isInstanceOf(StoreUnavailableException.class)
                        .satisfies(e -> assertThat(((TandemException) e).isTransient()).isTrue());
                assertThatThrownBy(() -> subject.readAll(0, 10)).isInstanceOf(StoreUnavailableException.class);

                server = start(port);

                NewEvent retried = NewEvent.json("Deposited", 20);
                AppendResult after = await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                        .until(() -> subject.append(stream, ExpectedVersion.exactly(20), List.of(retried)), r -> r != null);
                acknowledged.add(retried);

                assertThat(after.lastVersion()).isEqualTo(21);
                assertThat(subject.readStream(stream, 1, ReadDirection.FORWARD, 100)).extracting(RecordedEvent::id)
                        .containsExactlyElementsOf(acknowledged.stream().map(NewEvent::id).toList());
            } finally {
                server.close();
            }
        }
    }
}
