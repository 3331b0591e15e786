package dev.tandem.example.bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.example.bank.http.HttpTestClient.Response;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.example.bank.tandem.BankService;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.inprocess.InProcessTransport;
import java.time.InstantSource;
import dev.tandem.example.bank.transfer.AccountRef;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The bank and coordinator HTTP APIs over real loopback HTTP with java.net.http. */
class BankHttpApiIT {

    final List<EventStore> stores = List.of(new InMemoryEventStore(), new InMemoryEventStore(), new InMemoryEventStore());
    final InProcessTransport transport = new InProcessTransport();
    BankService a;
    BankService b;
    CoordinatorService transfers;
    BankHttpServer bankA;
    BankHttpServer bankB;
    BankHttpServer coordinator;
    final HttpTestClient requests = new HttpTestClient();

    @BeforeEach
    void setUp() throws Exception {
        a = BankService.start("A", stores.get(0), transport);
        b = BankService.start("B", stores.get(1), transport);
        transfers = CoordinatorService.start(stores.get(2), transport, List.of("A", "B"), InstantSource.system());
        bankA = BankHttpServer.start(0, a, null);
        bankB = BankHttpServer.start(0, b, null);
        coordinator = BankHttpServer.start(0, null, transfers);
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
        bankB.close();
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

    void openFunded(BankHttpServer bank, String id, long amount) throws Exception {
        assertThat(send(bank, "POST", "/accounts", "{\"id\":\"" + id + "\",\"currency\":\"EUR\"}").status()).isEqualTo(201);
        if (amount > 0) {
            assertThat(send(bank, "POST", "/accounts/" + id + "/deposits", "{\"amount\":" + amount + ",\"currency\":\"EUR\"}").status()).isEqualTo(200);
        }
    }

    @Nested
    class Accounts {
        @Test
        void opensDepositsAndShowsBalanceAndHistory() throws Exception {
            openFunded(bankA, "alice", 500);
            Response balance = send(bankA, "GET", "/accounts/alice", null);
            assertThat(balance.status()).isEqualTo(200);
            assertThat(balance.body().get("balance").asLong()).isEqualTo(500);
            assertThat(balance.body().get("bank").asText()).isEqualTo("A");
            Response history = send(bankA, "GET", "/accounts/alice/history", null);
            assertThat(history.body().get("events")).extracting(e -> e.get("type").asText()).containsExactly("Opened", "Deposited");
        }

        @Test
        void refusesASecondOpenWith409AndAnUnknownAccountWith404() throws Exception {
            openFunded(bankA, "alice", 0);
            Response again = send(bankA, "POST", "/accounts", "{\"id\":\"alice\",\"currency\":\"EUR\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().get("error").asText()).isEqualTo("ACCOUNT_EXISTS");
            assertThat(send(bankA, "GET", "/accounts/nobody", null).status()).isEqualTo(404);
            assertThat(send(bankA, "POST", "/accounts/nobody/deposits", "{\"amount\":5,\"currency\":\"EUR\"}").status()).isEqualTo(404);
        }

        @Test
        void readsSeveralAccountsInOneRequestAndListsTheMissingOnes() throws Exception {
            openFunded(bankA, "alice", 500);
            openFunded(bankA, "bob", 70);
            Response r = send(bankA, "GET", "/accounts?ids=bob,nobody,alice", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().get("accounts")).extracting(a -> a.get("id").asText() + "=" + a.get("balance").asLong())
                    .containsExactly("bob=70", "alice=500");
            assertThat(r.body().get("missing")).extracting(JsonNode::asText).containsExactly("nobody");

            HttpBankClient client = new HttpBankClient(URI.create("http://127.0.0.1:" + coordinator.port()),
                    Map.of("A", URI.create("http://127.0.0.1:" + bankA.port())));
            assertThat(client.balances(List.of(new AccountRef("A", "alice"), new AccountRef("A", "bob"))))
                    .containsExactly(Map.entry(new AccountRef("A", "alice"), 500L), Map.entry(new AccountRef("A", "bob"), 70L));
        }

        @Test
        void refusesBadBatchReads() throws Exception {
            assertThat(send(bankA, "GET", "/accounts", null).status()).isEqualTo(400);
            Response badName = send(bankA, "GET", "/accounts?ids=alice,a%20b", null);
            assertThat(badName.status()).isEqualTo(400);
            assertThat(badName.body().get("message").asText()).contains("a b");
            String tooMany = String.join(",", java.util.Collections.nCopies(BankApi.MAX_BATCH_READ + 1, "x"));
            Response over = send(bankA, "GET", "/accounts?ids=" + tooMany, null);
            assertThat(over.status()).isEqualTo(400);
            assertThat(over.body().get("message").asText()).contains("at most " + BankApi.MAX_BATCH_READ);
        }

        @Test
        void refusesBadDepositsWith422AndAReason() throws Exception {
            openFunded(bankA, "alice", 0);
            Response negative = send(bankA, "POST", "/accounts/alice/deposits", "{\"amount\":-5,\"currency\":\"EUR\"}");
            assertThat(negative.status()).isEqualTo(422);
            assertThat(negative.body().get("error").asText()).isEqualTo("INVALID_AMOUNT");
            Response foreign = send(bankA, "POST", "/accounts/alice/deposits", "{\"amount\":5,\"currency\":\"USD\"}");
            assertThat(foreign.body().get("error").asText()).isEqualTo("CURRENCY_MISMATCH");
        }
    }

    @Nested
    class Bad_requests {
        @Test
        void malformedJsonMissingFieldsAndWrongTypesGet400WithAReason() throws Exception {
            Response malformed = send(bankA, "POST", "/accounts", "{\"id\":");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.body().get("error").asText()).isEqualTo("malformed_json");
            Response missing = send(bankA, "POST", "/accounts", "{\"id\":\"alice\"}");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.body().get("message").asText()).contains("'currency' is required");
            Response wrongType = send(bankA, "POST", "/accounts/alice/deposits", "{\"amount\":\"lots\",\"currency\":\"EUR\"}");
            assertThat(wrongType.status()).isEqualTo(400);
            Response overflow = send(bankA, "POST", "/accounts/alice/deposits", "{\"amount\":99999999999999999999,\"currency\":\"EUR\"}");
            assertThat(overflow.status()).isEqualTo(400);
            assertThat(overflow.body().get("message").asText()).contains("fits in 64 bits");
            Response badName = send(bankA, "POST", "/accounts", "{\"id\":\"a b\",\"currency\":\"EUR\"}");
            assertThat(badName.status()).isEqualTo(400);
        }

        @Test
        void anOversizeBodyGets413() throws Exception {
            String big = "{\"id\":\"" + "x".repeat(Exchanges.MAX_BODY_BYTES) + "\",\"currency\":\"EUR\"}";
            Response r = send(bankA, "POST", "/accounts", big);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body().get("error").asText()).isEqualTo("body_too_large");
        }

        @Test
        void unknownPathsAndMethodsGet404And405() throws Exception {
            assertThat(send(bankA, "GET", "/nothing", null).status()).isEqualTo(404);
            assertThat(send(bankA, "DELETE", "/accounts/alice", null).status()).isEqualTo(405);
            assertThat(send(coordinator, "GET", "/transfers/not-a-uuid", null).status()).isEqualTo(400);
        }
    }

    @Nested
    class Transfers {
        @Test
        void aTransferCommitsOnceForRepeatedIdempotencyKeysAndShowsItsTimeline() throws Exception {
            openFunded(bankA, "alice", 1_000);
            openFunded(bankB, "bob", 0);
            String body = "{\"idempotencyKey\":\"t-1\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":300,\"currency\":\"EUR\"}";
            Response first = send(coordinator, "POST", "/transfers", body);
            Response again = send(coordinator, "POST", "/transfers", body);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body().get("outcome").asText()).isEqualTo("COMMITTED");
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(send(bankA, "GET", "/accounts/alice", null).body().get("balance").asLong()).isEqualTo(700);
            assertThat(send(bankB, "GET", "/accounts/bob", null).body().get("balance").asLong()).isEqualTo(300);
            Response view = send(coordinator, "GET", "/transfers/" + first.body().get("id").asText(), null);
            assertThat(view.body().get("mode").asText()).isEqualTo("TCC");
            assertThat(view.body().get("timeline")).extracting(e -> e.get("type").asText()).startsWith("tandem.saga.Started").endsWith("tandem.saga.Committed");
            assertThat(view.body().get("from").asText()).isEqualTo("A/alice");
            assertThat(view.body().get("amount").asLong()).isEqualTo(300);
        }

        @Test
        void aSagaTransferWithInsufficientFundsIsCompensatedWithTheReason() throws Exception {
            openFunded(bankA, "alice", 10);
            openFunded(bankB, "bob", 0);
            Response r = send(coordinator, "POST", "/transfers",
                    "{\"idempotencyKey\":\"t-2\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":300,\"currency\":\"EUR\",\"mode\":\"saga\"}");
            assertThat(r.body().get("outcome").asText()).isEqualTo("COMPENSATED");
            assertThat(r.body().get("reason").asText()).contains("INSUFFICIENT_FUNDS");
        }

        @Test
        void refusesAKeyReusedForADifferentTransferWith409() throws Exception {
            openFunded(bankA, "alice", 1_000);
            openFunded(bankB, "bob", 0);
            String body = "{\"idempotencyKey\":\"t-4\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":%d,\"currency\":\"EUR\"}";
            assertThat(send(coordinator, "POST", "/transfers", body.formatted(100)).status()).isEqualTo(200);
            Response reused = send(coordinator, "POST", "/transfers", body.formatted(200));
            assertThat(reused.status()).isEqualTo(409);
            assertThat(reused.body().get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        }

        @Test
        void refusesASameAccountTransferWith422() throws Exception {
            Response r = send(coordinator, "POST", "/transfers",
                    "{\"idempotencyKey\":\"t-3\",\"from\":\"A/alice\",\"to\":\"A/alice\",\"amount\":1,\"currency\":\"EUR\"}");
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.body().get("error").asText()).isEqualTo("SAME_ACCOUNT");
        }

        @Test
        void aTransferCarriesTheCallersCorrelationIdAndTraceIntoBothBanksHistories() throws Exception {
            openFunded(bankA, "alice", 1_000);
            openFunded(bankB, "bob", 0);
            String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            Response r = requests.send(coordinator, "POST", "/transfers",
                    "{\"idempotencyKey\":\"t-5\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":100,\"currency\":\"EUR\"}",
                    Map.of("traceparent", traceparent, "tracestate", "congo=t61rcWkgMzE", "X-Correlation-Id", "order-7"));
            assertThat(r.body().get("outcome").asText()).isEqualTo("COMMITTED");

            JsonNode view = send(coordinator, "GET", "/transfers/" + r.body().get("id").asText(), null).body();
            assertThat(view.get("correlationId").asText()).isEqualTo("order-7");
            assertThat(view.get("traceparent").asText()).isEqualTo(traceparent);
            for (var where : List.of(Map.entry(bankA, "/accounts/alice/history"), Map.entry(bankB, "/accounts/bob/history"))) {
                JsonNode events = send(where.getKey(), "GET", where.getValue(), null).body().get("events");
                assertThat(events).filteredOn(e -> !e.get("transfer").isNull()).hasSize(2) // the try and the confirm
                        .allSatisfy(e -> {
                            assertThat(e.get("transfer").asText()).isEqualTo(r.body().get("id").asText());
                            assertThat(e.get("correlationId").asText()).isEqualTo("order-7");
                            assertThat(e.get("traceparent").asText()).isEqualTo(traceparent);
                        });
            }
        }

        @Test
        void aMalformedTraceIsIgnoredAndABadCorrelationIdRefused() throws Exception {
            openFunded(bankA, "alice", 1_000);
            openFunded(bankB, "bob", 0);
            String body = "{\"idempotencyKey\":\"t-6\",\"from\":\"A/alice\",\"to\":\"B/bob\",\"amount\":100,\"currency\":\"EUR\"}";
            Response refused = requests.send(coordinator, "POST", "/transfers", body, Map.of("X-Correlation-Id", "x".repeat(201)));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().get("error").asText()).isEqualTo("invalid_header");
            assertThat(refused.body().get("message").asText()).contains("X-Correlation-Id");
            assertThat(send(coordinator, "GET", "/transfers/" + dev.tandem.example.bank.transfer.TransferRequest.idFor("t-6"), null).status())
                    .isEqualTo(404); // refused before anything was started

            Response r = requests.send(coordinator, "POST", "/transfers", body, Map.of("traceparent", "00-not-a-trace"));
            assertThat(r.body().get("outcome").asText()).isEqualTo("COMMITTED");
            assertThat(send(coordinator, "GET", "/transfers/" + r.body().get("id").asText(), null).body().get("traceparent").isNull()).isTrue();
        }

        @Test
        void anUnknownTransferGets404() throws Exception {
            assertThat(send(coordinator, "GET", "/transfers/00000000-0000-0000-0000-000000000009", null).status()).isEqualTo(404);
        }
    }
}
