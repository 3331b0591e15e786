package dev.tandem.example.bank.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.http.HttpTestClient.Response;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.saga.engine.CoordinatorNode;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the coordinator on one shared store, over real loopback HTTP: the one standing by answers reads and
 * refuses starts with {@code 503 not_leader}; the client goes on to the leader, and to the other instance once the
 * leader closes.
 */
class CoordinatorInstancesHttpIT {

    final EventStore storeA = new InMemoryEventStore();
    final EventStore storeB = new InMemoryEventStore();
    final EventStore coordinatorStore = new InMemoryEventStore();
    final InProcessTransport transport = new InProcessTransport();
    final HttpTestClient requests = new HttpTestClient();
    BankService a;
    BankService b;
    CoordinatorService one;
    CoordinatorService two;
    BankHttpServer bankA;
    BankHttpServer bankB;
    BankHttpServer httpOne;
    BankHttpServer httpTwo;

    @BeforeEach
    void setUp() throws Exception {
        a = BankService.start("A", storeA, transport);
        b = BankService.start("B", storeB, transport);
        one = CoordinatorService.start(coordinatorStore, transport, List.of("A", "B"), InstantSource.system(), leadership("one"));
        two = CoordinatorService.start(coordinatorStore, transport, List.of("A", "B"), InstantSource.system(), leadership("two"));
        bankA = BankHttpServer.start(0, a, null);
        bankB = BankHttpServer.start(0, b, null);
        httpOne = BankHttpServer.start(0, null, one);
        httpTwo = BankHttpServer.start(0, null, two);
        for (BankHttpServer bank : List.of(bankA, bankB)) {
            String id = bank == bankA ? "alice" : "bob";
            assertThat(requests.send(bank, "POST", "/accounts", "{\"id\":\"" + id + "\",\"currency\":\"EUR\"}").status()).isEqualTo(201);
            assertThat(requests.send(bank, "POST", "/accounts/" + id + "/deposits", "{\"amount\":1000,\"currency\":\"EUR\"}").status()).isEqualTo(200);
        }
    }

    static CoordinatorNode.Leadership leadership(String instance) {
        return new CoordinatorNode.Leadership(instance, Duration.ofSeconds(3), Duration.ofMillis(200));
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : List.of(httpTwo, httpOne, bankB, bankA, two, one, b, a, transport, coordinatorStore, storeB, storeA)) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theInstanceStandingByRefusesStartsNamingTheLeaderAndAnswersReads() throws Exception {
        assertThat(one.role()).isEqualTo(CoordinatorNode.Role.LEADING);
        assertThat(two.role()).isEqualTo(CoordinatorNode.Role.STANDING_BY);
        String body = "{\"idempotencyKey\":\"k-1\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":300,\"currency\":\"EUR\"}";

        Response refused = requests.send(httpTwo, "POST", "/transfers", body);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asText()).isEqualTo("not_leader");
        assertThat(refused.body().get("message").asText()).contains("instance two stands by").contains("instance one leads");

        Response started = requests.send(httpOne, "POST", "/transfers", body);
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.body().get("outcome").asText()).isEqualTo("COMMITTED");
        Response read = requests.send(httpTwo, "GET", "/transfers/" + started.body().get("id").asText(), null);
        assertThat(read.status()).as("the store is shared").isEqualTo(200);
        assertThat(read.body().get("outcome").asText()).isEqualTo("COMMITTED");

        Response health = requests.send(httpTwo, "GET", "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("role").asText()).isEqualTo("STANDING_BY");
        assertThat(health.body().get("instance").asText()).isEqualTo("two");
        assertThat(requests.send(httpOne, "GET", "/health", null).body().get("role").asText()).isEqualTo("LEADING");
        assertThat(requests.get(httpTwo, "/metrics").body()).contains("tandem_coordinator_leading{coordinator=\"coordinator\"} 0.0");
        assertThat(requests.get(httpOne, "/metrics").body()).contains("tandem_coordinator_leading{coordinator=\"coordinator\"} 1.0")
                .containsPattern("tandem_outbox_published_total\\{service=\"coordinator\"} [1-9]");
    }

    @Test
    void theClientFindsTheLeaderAndFollowsTheLeadWhenItMoves() throws Exception {
        HttpBankClient client = new HttpBankClient(List.of(uri(httpTwo), uri(httpOne)),
                Map.of("A", uri(bankA), "B", uri(bankB)));
        AccountRef alice = new AccountRef("A", "alice");
        AccountRef bob = new AccountRef("B", "bob");

        assertThat(client.transfer(new TransferRequest("k-1", alice, bob, Money.of(100, "EUR"), TransferMode.TCC), Duration.ofSeconds(10)))
                .isEqualTo(TransferOutcome.COMMITTED);
        httpOne.close();
        one.close(); // gives the lease up: the other instance takes over at its next check
        await().atMost(Duration.ofSeconds(10)).until(() -> two.role() == CoordinatorNode.Role.LEADING);
        assertThat(client.transfer(new TransferRequest("k-2", alice, bob, Money.of(100, "EUR"), TransferMode.SAGA), Duration.ofSeconds(10)))
                .isEqualTo(TransferOutcome.COMMITTED);

        assertThat(client.balances(List.of(alice, bob))).isEqualTo(Map.of(alice, 800L, bob, 1_200L));
    }

    static URI uri(BankHttpServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }
}
