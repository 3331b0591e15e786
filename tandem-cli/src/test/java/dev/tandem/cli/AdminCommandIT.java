package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.json.Json;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.example.bank.http.BankHttpServer;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.saga.protocol.BranchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tandem admin} against a bank and a coordinator serving their HTTP APIs on loopback. */
class AdminCommandIT {

    final List<EventStore> stores = List.of(new InMemoryEventStore(), new InMemoryEventStore());
    final InProcessTransport transport = new InProcessTransport();
    BankService bank;
    CoordinatorService transfers;
    BankHttpServer bankServer;
    BankHttpServer coordinatorServer;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        bank = BankService.start("A", stores.get(0), transport);
        transfers = CoordinatorService.start(stores.get(1), transport, List.of("A"), InstantSource.system());
        bankServer = BankHttpServer.start(0, bank, null);
        coordinatorServer = BankHttpServer.start(0, null, transfers);
    }

    @AfterEach
    void tearDown() {
        coordinatorServer.close();
        bankServer.close();
        transfers.close();
        bank.close();
        transport.close();
        stores.forEach(EventStore::close);
    }

    static Run admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    static String url(BankHttpServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void printsTheCoordinatorsCountsAndLists() throws Exception {
        Run counts = admin("--url", url(coordinatorServer), "counts");
        assertThat(counts.code()).as(counts.err()).isZero();
        assertThat(Json.mapper().readTree(counts.out()).get("STUCK").asLong()).isZero();

        Run health = admin("--url", url(coordinatorServer), "health");
        assertThat(health.code()).as(health.err()).isZero();
        assertThat(Json.mapper().readTree(health.out()).get("status").asText()).isEqualTo("UP");

        Run stuck = admin("--url", url(coordinatorServer), "transactions", "--status", "STUCK");
        assertThat(stuck.code()).as(stuck.err()).isZero();
        assertThat(Json.mapper().readTree(stuck.out()).get("transactions")).isEmpty();
        assertThat(admin("--url", url(coordinatorServer), "transactions", "--older-than", "5m").code()).isZero();
    }

    @Test
    void listsAndDiscardsAParkedMessageAndSaysWhyWhenRefused() throws Exception {
        UUID poison = UUID.randomUUID();
        transport.publish(List.of(new Message(poison, "tester", "bank-A", "k", 1, Instant.now(), BranchCommand.TYPE, "application/json",
                "{not json".getBytes(StandardCharsets.UTF_8), Metadata.EMPTY))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin("--url", url(bankServer), "parked").out().contains(poison.toString()));

        Run discarded = admin("--url", url(bankServer), "discard", poison.toString(), "--note", "garbage from a test client");
        assertThat(discarded.code()).as(discarded.err()).isZero();
        assertThat(discarded.out()).contains("discarded");
        Run again = admin("--url", url(bankServer), "discard", poison.toString(), "--note", "again");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("404").contains("not_found").contains(poison.toString());
        assertThat(Json.mapper().readTree(admin("--url", url(bankServer), "parked").out()).get("letters")).isEmpty();
    }

    @Test
    void refusesBadArgumentsAndSaysWhenTheServiceCannotBeReached() throws Exception {
        assertThat(admin("--url", url(bankServer), "discard", UUID.randomUUID().toString()).code()).as("--note is required").isEqualTo(2);
        assertThat(admin("--url", url(coordinatorServer), "transactions", "--status", "STUCK", "--older-than", "5m").code()).isEqualTo(2);
        Run badId = admin("--url", url(bankServer), "replay", "not-a-uuid");
        assertThat(badId.code()).isEqualTo(2);
        assertThat(badId.err()).contains("not-a-uuid");
        Run badUrl = admin("--url", "ftp://example", "counts");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url");

        Run unknown = admin("--url", url(coordinatorServer), "retry", "no-such-transfer", "--operator", "ops", "--reason", "x");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("404");
        Run onABank = admin("--url", url(bankServer), "counts");
        assertThat(onABank.code()).isEqualTo(1);
        assertThat(onABank.err()).contains("coordinator");

        stores.get(0).close(); // the bank's store
        Run down = admin("--url", url(bankServer), "health");
        assertThat(down.code()).isEqualTo(1);
        assertThat(Json.mapper().readTree(down.out()).get("status").asText()).isEqualTo("DOWN");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run unreachable = admin("--url", "http://127.0.0.1:" + closedPort, "counts");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach");
    }
}
