package dev.tandem.example.bank.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.json.Json;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.http.HttpBankClient;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.testkit.kafka.TestKafka;
import dev.tandem.testkit.postgres.TestDatabase;
import dev.tandem.testkit.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator instances as processes on one PostgreSQL schema and a Kafka broker, with the banks as processes of
 * their own: the standing-by instance takes over when the leader is killed ({@code SIGKILL}), and a leader paused
 * ({@code SIGSTOP}) past its lease stands down when it wakes; transfers go on through the client's failover.
 */
class CoordinatorFailoverIT {

    static final Duration LEASE = Duration.ofSeconds(3);
    static final AccountRef FROM = new AccountRef("A", "alice");
    static final AccountRef TO = new AccountRef("B", "bob");

    final HttpClient http = HttpClient.newHttpClient();
    final List<TransferOutcome> outcomes = new ArrayList<>();

    @TempDir
    Path dir;

    @Test
    void theStandingByInstanceTakesOverFromAKilledLeaderAndAPausedLeaderStandsDownWhenItWakes() throws Exception {
        try (TestDatabase db = TestPostgres.freshDatabase(); TestKafka kafka = TestKafka.inProcess(dir.resolve("kafka"))) {
            String url = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user()
                    + (db.password().isEmpty() ? "" : "&password=" + db.password());
            NodeConfig config = new NodeConfig(dir, url, kafka.bootstrapServers(), "failover.");
            try (BankCluster cluster = BankCluster.start(config, dir.resolve("logs"), 2, LEASE)) {
                runScenario(cluster);
            } catch (Exception | AssertionError e) {
                for (String log : List.of("coordinator-1.log", "coordinator-2.log", "bank-A.log", "bank-B.log")) { // the evidence, before @TempDir goes
                    System.out.println("---- " + log + "\n" + java.nio.file.Files.readString(dir.resolve("logs").resolve(log)));
                }
                throw e;
            }
        }
    }

    void runScenario(BankCluster cluster) throws Exception {
                HttpBankClient client = cluster.client();
                client.open(FROM, 1_000, "EUR");
                client.open(TO, 1_000, "EUR");
                List<ServiceProcess> instances = cluster.coordinators();

                ServiceProcess first = awaitSoleLeader(instances);
                ServiceProcess second = instances.get(0) == first ? instances.get(1) : instances.get(0);
                assertThat(role(second)).contains("STANDING_BY");
                transfer(client, 1);

                long killed = System.nanoTime();
                first.kill();
                assertThat(awaitSoleLeader(instances)).isSameAs(second);
                transfer(client, 2); // the client finds the new leader: the killed one refuses connections
                System.out.printf("failover: the leader killed, a transfer done through the new one %.1f s later%n", (System.nanoTime() - killed) / 1e9);

                first.start(); // back as the same instance: it stands by now
                await().atMost(Duration.ofSeconds(30)).until(() -> role(first).equals(Optional.of("STANDING_BY")));

                second.pause(); // stalls past its lease: the other takes the lead and fences it
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> role(first).equals(Optional.of("LEADING")));
                    transfer(client, 3);
                } finally {
                    second.resume();
                }
                await("the woken leader finds its lease taken and stands down").atMost(Duration.ofSeconds(30))
                        .until(() -> role(second).equals(Optional.of("STANDING_BY")));
                assertThat(awaitSoleLeader(instances)).isSameAs(first);
                transfer(client, 4);

                long moved = 10 * outcomes.stream().filter(o -> o == TransferOutcome.COMMITTED).count();
                assertThat(outcomes).as("every transfer ended").allMatch(o -> o == TransferOutcome.COMMITTED || o == TransferOutcome.COMPENSATED);
                assertThat(outcomes.getFirst()).isEqualTo(TransferOutcome.COMMITTED);
                assertThat(outcomes.getLast()).isEqualTo(TransferOutcome.COMMITTED);
                await().atMost(Duration.ofSeconds(30)).until(() -> client.balances(List.of(FROM, TO)).equals(Map.of(FROM, 1_000 - moved, TO, 1_000 + moved)));
    }

    /** Starts a transfer of 10 and waits for its outcome, asking again (the same key) until it is final. */
    void transfer(HttpBankClient client, int n) throws Exception {
        TransferRequest request = new TransferRequest("failover-" + n, FROM, TO, Money.of(10, "EUR"), TransferMode.TCC);
        TransferOutcome outcome = client.transfer(request, Duration.ofSeconds(3)); // a stalled instance costs the client 5 s, then it tries the next
        if (outcome == TransferOutcome.PENDING) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.query(request.transferId()) != TransferOutcome.PENDING);
            outcome = client.query(request.transferId());
        }
        outcomes.add(outcome);
    }

    /** Waits until exactly one live instance says it leads, and returns it. */
    ServiceProcess awaitSoleLeader(List<ServiceProcess> instances) {
        List<ServiceProcess> leading = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            leading.clear();
            for (ServiceProcess p : instances) {
                if (role(p).equals(Optional.of("LEADING"))) {
                    leading.add(p);
                }
            }
            return leading.size() == 1;
        });
        return leading.getFirst();
    }

    /** The role an instance's {@code /health} reports; empty when it does not answer (killed or paused). */
    Optional<String> role(ServiceProcess p) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/health"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return Optional.of(Json.decode(r.body(), JsonNode.class).path("role").asText());
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
