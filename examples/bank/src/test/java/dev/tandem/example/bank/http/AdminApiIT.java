package dev.tandem.example.bank.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.example.bank.http.HttpTestClient.Response;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.saga.protocol.BranchCommand;
import dev.tandem.testkit.eventstore.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' API over real loopback HTTP: parked messages of a bank, and STUCK transfers on the coordinator. Bank C
 * is known to the coordinator but never runs, so a transfer to it times out, its cancels time out too, and it ends STUCK
 * (the coordinator's clock is driven by the test).
 */
class AdminApiIT {

    final List<EventStore> stores = List.of(new InMemoryEventStore(), new InMemoryEventStore(), new InMemoryEventStore());
    final InProcessTransport transport = new InProcessTransport();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final HttpTestClient requests = new HttpTestClient();
    BankService a;
    BankService b;
    CoordinatorService transfers;
    BankHttpServer bankA;
    BankHttpServer coordinator;

    @BeforeEach
    void setUp() throws Exception {
        a = BankService.start("A", stores.get(0), transport);
        b = BankService.start("B", stores.get(1), transport);
        transfers = CoordinatorService.start(stores.get(2), transport, List.of("A", "B", "C"), clock);
        bankA = BankHttpServer.start(0, a, null);
        coordinator = BankHttpServer.start(0, null, transfers);
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
        bankA.close();
        transfers.close();
        b.close();
        a.close();
        transport.close();
        stores.forEach(EventStore::close);
    }

    Response send(BankHttpServer server, String method, String path, String body) throws Exception {
        return requests.send(server, method, path, body);
    }

    /** Starts a TCC transfer of 10 from A/alice to C/carol and drives the clock until it is STUCK. */
    List<String> stuckTransfers(int count) throws Exception {
        a.accounts().execute("alice", new AccountCommand.Open("EUR"));
        a.accounts().execute("alice", new AccountCommand.Deposit(Money.of(1_000, "EUR")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TransferRequest request = new TransferRequest("stuck-" + i, new AccountRef("A", "alice"), new AccountRef("C", "carol"),
                    Money.of(10, "EUR"), TransferMode.TCC);
            transfers.start(request);
            ids.add(request.transferId().toString());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            clock.advance(Duration.ofSeconds(3)); // past step timeouts (5 s) and backoffs, a little at a time
            return send(coordinator, "GET", "/admin/transactions?status=STUCK", null).body().get("transactions").size() == count;
        });
        return ids;
    }

    @Test
    void listsStuckTransfersCountsThemAndResolvesOneWithAnAuditedEvent() throws Exception {
        List<String> ids = stuckTransfers(2);

        Response stuck = send(coordinator, "GET", "/admin/transactions?status=stuck&limit=10", null);
        assertThat(stuck.status()).isEqualTo(200);
        assertThat(stuck.body().get("transactions")).extracting(t -> t.get("id").asText()).containsExactlyInAnyOrderElementsOf(ids);
        JsonNode first = stuck.body().get("transactions").get(0);
        assertThat(first.get("status").asText()).isEqualTo("STUCK");
        assertThat(first.get("stuckIn").asText()).isEqualTo("COMPENSATING");
        assertThat(first.get("definition").asText()).isEqualTo("transfer-tcc-A-C");
        assertThat(send(coordinator, "GET", "/admin/transactions?status=STUCK&limit=1", null).body().get("transactions")).hasSize(1);
        assertThat(send(coordinator, "GET", "/admin/transactions?olderThan=PT1M", null).body().get("transactions")).hasSize(2);
        assertThat(send(coordinator, "GET", "/admin/transactions?olderThan=PT24H", null).body().get("transactions")).isEmpty();
        assertThat(send(coordinator, "GET", "/admin/transactions/counts", null).body().get("STUCK").asLong()).isEqualTo(2);

        String id = ids.getFirst();
        Response resolved = send(coordinator, "POST", "/admin/transactions/" + id + "/resolve",
                "{\"resolution\":\"COMPENSATED\",\"operator\":\"ops\",\"reason\":\"bank C is gone; nothing was credited\"}");
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.body().get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(resolved.body().get("timeline")).extracting(e -> e.get("type").asText()).contains("tandem.saga.OperatorResolved");
        assertThat(send(coordinator, "GET", "/admin/transactions/counts", null).body().get("STUCK").asLong()).isEqualTo(1);
        assertThat(send(coordinator, "GET", "/admin/transactions/" + id, null).body().get("status").asText()).isEqualTo("COMPENSATED");

        Response again = send(coordinator, "POST", "/admin/transactions/" + id + "/retry", "{\"operator\":\"ops\",\"reason\":\"again\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("error").asText()).isEqualTo("not_stuck");

        HttpTestClient.Text metrics = requests.get(coordinator, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("tandem_transactions_started_total{coordinator=\"coordinator\"} 2.0")
                .contains("tandem_transactions_stuck_total{coordinator=\"coordinator\"} 2.0")
                .contains("tandem_transactions_finished_total{coordinator=\"coordinator\",status=\"COMPENSATED\"} 1.0")
                .contains("tandem_transactions_operator_total{action=\"resolve\",coordinator=\"coordinator\"} 1.0")
                .contains("tandem_inbox_handled_total{consumer=\"coordinator/coordinator\",service=\"coordinator\"}")
                .contains("tandem_transactions_duration_seconds_count{coordinator=\"coordinator\"} 1\n")
                .contains("tandem_transactions_scheduled{coordinator=\"coordinator\"}")
                .contains("tandem_outbox_published_total{service=\"coordinator\"}")
                .contains("jvm_memory_used_bytes");
        assertThat(requests.get(bankA, "/metrics").body()).contains("tandem_inbox_handled_total{consumer=\"bank-A/bank-A\",service=\"bank-A\"}")
                .contains("tandem_outbox_lag_events{service=\"bank-A\"}").doesNotContain("tandem_transactions_");
        assertThat(send(bankA, "POST", "/metrics", "{}").status()).isEqualTo(405);
    }

    @Test
    void retriesAStuckTransferWithAnAuditedEvent() throws Exception {
        String id = stuckTransfers(1).getFirst();

        Response retried = send(coordinator, "POST", "/admin/transactions/" + id + "/retry", "{\"operator\":\"ops\",\"reason\":\"bank C is back\"}");

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("status").asText()).isEqualTo("COMPENSATING");
        List<String> timeline = new ArrayList<>();
        retried.body().get("timeline").forEach(e -> timeline.add(e.get("type").asText()));
        assertThat(timeline.lastIndexOf("tandem.saga.OperatorRetried")).as("retried after it got stuck: %s", timeline)
                .isGreaterThan(timeline.lastIndexOf("tandem.saga.Stuck")).isPositive();
        assertThat(timeline.getLast()).as("the retry requests the failing leg again").isEqualTo(BranchCommand.TYPE);
        assertThat(send(coordinator, "GET", "/admin/transactions?status=STUCK", null).body().get("transactions")).isEmpty();
    }

    @Test
    void refusesBadOperatorRequestsWithAReason() throws Exception {
        String id = stuckTransfers(1).getFirst();

        Response badResolution = send(coordinator, "POST", "/admin/transactions/" + id + "/resolve",
                "{\"resolution\":\"RUNNING\",\"operator\":\"ops\",\"reason\":\"x\"}");
        assertThat(badResolution.status()).isEqualTo(400);
        assertThat(badResolution.body().get("message").asText()).contains("resolution").contains("COMMITTED").contains("RUNNING");
        Response noOperator = send(coordinator, "POST", "/admin/transactions/" + id + "/retry", "{\"reason\":\"x\"}");
        assertThat(noOperator.status()).isEqualTo(400);
        assertThat(noOperator.body().get("message").asText()).contains("operator");
        assertThat(send(coordinator, "POST", "/admin/transactions/" + id + "/retry", "{not json").status()).isEqualTo(400);
        assertThat(send(coordinator, "POST", "/admin/transactions/no-such-transfer/retry", "{\"operator\":\"ops\",\"reason\":\"x\"}").status())
                .isEqualTo(404);
        assertThat(send(coordinator, "GET", "/admin/transactions", null).status()).isEqualTo(400);
        assertThat(send(coordinator, "GET", "/admin/transactions?status=STUCK&olderThan=PT1M", null).status()).isEqualTo(400);
        Response badAge = send(coordinator, "GET", "/admin/transactions?olderThan=5%20minutes", null);
        assertThat(badAge.status()).isEqualTo(400);
        assertThat(badAge.body().get("message").asText()).contains("ISO-8601");
        assertThat(send(coordinator, "GET", "/admin/transactions?status=STUCK&limit=0", null).status()).isEqualTo(400);
        assertThat(send(coordinator, "DELETE", "/admin/transactions/" + id, null).status()).isEqualTo(405);
        assertThat(send(bankA, "GET", "/admin/transactions?status=STUCK", null).status()).isEqualTo(404);
        // nothing of the refused requests was recorded
        assertThat(send(coordinator, "GET", "/admin/transactions/" + id, null).body().get("timeline")).extracting(e -> e.get("type").asText())
                .doesNotContain("tandem.saga.OperatorRetried", "tandem.saga.OperatorResolved");
    }

    @Test
    void reportsHealthUpAndDownWithTheFailedCheck() throws Exception {
        Response up = send(coordinator, "GET", "/health", null);
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.body().get("status").asText()).isEqualTo("UP");
        assertThat(up.body().get("checks")).extracting(c -> c.get("name").asText() + "=" + c.get("status").asText())
                .containsExactly("store-coordinator=UP", "outbox-coordinator=UP");
        assertThat(send(bankA, "GET", "/health", null).status()).isEqualTo(200);

        stores.get(0).close(); // bank A's store

        Response down = send(bankA, "GET", "/health", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body().get("status").asText()).isEqualTo("DOWN");
        JsonNode store = down.body().get("checks").get(0);
        assertThat(store.get("name").asText()).isEqualTo("store-bank-A");
        assertThat(store.get("status").asText()).isEqualTo("DOWN");
        assertThat(store.get("reason").asText()).containsIgnoringCase("closed");
        assertThat(send(coordinator, "GET", "/health", null).status()).as("the coordinator's own store is fine").isEqualTo(200);
    }

    @Test
    void listsReplaysAndDiscardsABanksParkedMessage() throws Exception {
        UUID poison = UUID.randomUUID();
        transport.publish(List.of(new Message(poison, "tester", "bank-A", "k", 1, clock.instant(), BranchCommand.TYPE, "application/json",
                "{not json".getBytes(StandardCharsets.UTF_8), Metadata.EMPTY))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> send(bankA, "GET", "/admin/dead-letters", null).body().get("letters").size() == 1);

        JsonNode letter = send(bankA, "GET", "/admin/dead-letters", null).body().get("letters").get(0);
        assertThat(letter.get("messageId").asText()).isEqualTo(poison.toString());
        assertThat(letter.get("owner").asText()).isEqualTo("inbox-bank-A/bank-A");
        assertThat(letter.get("reason").asText()).isEqualTo("UNDECODABLE");
        assertThat(letter.get("message").get("payload").asText()).isEqualTo("{not json");
        assertThat(letter.get("message").get("source").asText()).isEqualTo("tester");
        assertThat(send(bankA, "GET", "/admin/dead-letters?owner=outbox-bank-A", null).body().get("letters")).isEmpty();
        assertThat(send(bankA, "GET", "/admin/dead-letters?owner=nobody", null).status()).isEqualTo(404);

        Response replay = send(bankA, "POST", "/admin/dead-letters/" + poison + "/replay", null);
        assertThat(replay.status()).isEqualTo(422);
        assertThat(replay.body().get("error").asText()).isEqualTo("replay_failed");
        assertThat(send(bankA, "GET", "/admin/dead-letters", null).body().get("letters")).hasSize(1); // still parked

        assertThat(send(bankA, "POST", "/admin/dead-letters/" + poison + "/discard", "{}").status()).isEqualTo(400);
        assertThat(send(bankA, "POST", "/admin/dead-letters/not-a-uuid/discard", "{\"note\":\"x\"}").status()).isEqualTo(400);
        assertThat(send(bankA, "POST", "/admin/dead-letters/" + UUID.randomUUID() + "/discard", "{\"note\":\"x\"}").status()).isEqualTo(404);
        assertThat(send(bankA, "GET", "/admin/dead-letters", null).body().get("letters")).hasSize(1);

        Response discarded = send(bankA, "POST", "/admin/dead-letters/" + poison + "/discard", "{\"note\":\"garbage from a test client\"}");
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.body().get("action").asText()).isEqualTo("discarded");
        assertThat(send(bankA, "GET", "/admin/dead-letters", null).body().get("letters")).isEmpty();
        assertThat(send(bankA, "POST", "/admin/dead-letters/" + poison + "/discard", "{\"note\":\"again\"}").status()).isEqualTo(404);
        // the actions are the dead-letter stream's events: parked, replay failed, discarded
        assertThat(stores.get(0).readStream(a.node().inbox("bank-A").deadLetters().stream(), 1, dev.tandem.eventstore.ReadDirection.FORWARD, 10))
                .extracting(dev.tandem.eventstore.RecordedEvent::type).containsExactly("MessageParked", "DeadLetterReplayFailed", "DeadLetterDiscarded");
    }
}
