package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.json.Json;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferOutcome;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.verify.BankReader;
import dev.tandem.example.bank.verify.Effect;
import dev.tandem.example.bank.verify.TransferClient;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator's and checker's view of services in other processes, over their HTTP APIs.
 *
 * <p>A transfer whose outcome is unknown (timeout, connection reset) is resolved by querying; when
 * the coordinator never recorded it, the request is sent again with the same idempotency key.
 *
 * <p>Given several instances of the coordinator (one leads, the others stand by), it sends each request to the
 * instance that last answered, and moves on to the next when one cannot be reached, does not answer in time, or
 * answers {@code 503 not_leader}.
 */
public final class HttpBankClient implements TransferClient, BankReader {

    private final List<URI> coordinators;
    private final AtomicInteger preferred = new AtomicInteger();
    private final Map<String, URI> banks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A request as sent, to send it again alike. */
    private record Sent(TransferRequest request, TraceContext trace) {}

    private final Map<UUID, Sent> sent = new ConcurrentHashMap<>();

    public HttpBankClient(URI coordinator, Map<String, URI> banks) {
        this(List.of(coordinator), banks);
    }

    /** @param coordinators the instances of the coordinator, any of which may lead */
    public HttpBankClient(List<URI> coordinators, Map<String, URI> banks) {
        if (coordinators.isEmpty()) {
            throw dev.tandem.core.InvalidInputException.of("coordinators", "must name at least one coordinator");
        }
        this.coordinators = List.copyOf(coordinators);
        this.banks = Map.copyOf(banks);
    }

    /** A request to the coordinator, sent to each instance in turn from the preferred one until one leads and answers. */
    @FunctionalInterface
    private interface CoordinatorCall {
        HttpResponse<byte[]> send(URI coordinator) throws IOException, InterruptedException;
    }

    private HttpResponse<byte[]> toCoordinator(CoordinatorCall call) throws IOException, InterruptedException {
        int first = preferred.get();
        IOException unreachable = null;
        HttpResponse<byte[]> standingBy = null;
        for (int i = 0; i < coordinators.size(); i++) {
            int at = (first + i) % coordinators.size();
            HttpResponse<byte[]> response;
            try {
                response = call.send(coordinators.get(at));
            } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
                // killed, not up yet, or stalled (a paused process accepts connections and never answers): the next
                // instance may lead; a start sent again there is safe, since starts are idempotent by their key
                unreachable = e;
                continue;
            }
            if (response.statusCode() == 503 && notLeader(response)) {
                standingBy = response;
                continue;
            }
            preferred.set(at);
            return response;
        }
        if (standingBy != null) {
            return standingBy;
        }
        throw unreachable;
    }

    private static boolean notLeader(HttpResponse<byte[]> response) {
        try {
            return "not_leader".equals(Json.decode(response.body(), JsonNode.class).path("error").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public TransferOutcome transfer(TransferRequest r, TraceContext trace, Duration timeout) throws Exception {
        sent.put(r.transferId(), new Sent(r, trace));
        JsonNode answer = post(r, trace, timeout);
        return answer == null ? TransferOutcome.PENDING : TransferOutcome.valueOf(answer.path("outcome").asText("PENDING"));
    }

    private JsonNode post(TransferRequest r, TraceContext trace, Duration wait) throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("idempotencyKey", r.idempotencyKey(), "from", r.from().toString(), "to", r.to().toString(),
                "amount", r.amount().minor(), "currency", r.amount().currency(), "mode", r.mode().name());
        byte[] json = Json.encode(body);
        HttpResponse<byte[]> response = toCoordinator(coordinator -> http.send(startRequest(coordinator, json, trace, wait), HttpResponse.BodyHandlers.ofByteArray()));
        if (response.statusCode() == 503) { // no instance could take it now (none leads, or a store is down): a failed request
            throw new IOException("the coordinator could not take transfer " + r.transferId() + " now: "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response.statusCode() == 200 || response.statusCode() == 202 ? Json.decode(response.body(), JsonNode.class) : null;
    }

    private static HttpRequest startRequest(URI coordinator, byte[] json, TraceContext trace, Duration wait) {
        HttpRequest.Builder request = HttpRequest.newBuilder(coordinator.resolve("/transfers?waitMillis=" + wait.toMillis()))
                .timeout(wait.plusSeconds(2)).header("Content-Type", Json.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (trace.traceparent() != null) {
            request.header(Message.TRACEPARENT, trace.traceparent());
        }
        if (trace.tracestate() != null) {
            request.header(TraceContext.TRACESTATE, trace.tracestate());
        }
        if (trace.correlationId() != null) {
            request.header(TransferApi.CORRELATION_ID, trace.correlationId());
        }
        return request.build();
    }

    @Override
    public TransferOutcome query(UUID id) throws Exception {
        HttpResponse<byte[]> r = toCoordinator(coordinator -> get(coordinator.resolve("/transfers/" + id))); // any instance reads
        if (r.statusCode() == 200) {
            return TransferOutcome.valueOf(Json.decode(r.body(), JsonNode.class).path("outcome").asText());
        }
        Sent original = sent.get(id);
        if (r.statusCode() == 404 && original != null) {
            post(original.request(), original.trace(), Duration.ZERO); // it never started: send it again under the same key
        }
        return TransferOutcome.PENDING;
    }

    /** Reads the balances a bank at a time, as many accounts per request as the bank serves ({@link BankApi#MAX_BATCH_READ}). */
    @Override
    public Map<AccountRef, Long> balances(List<AccountRef> accounts) throws Exception {
        Map<AccountRef, Long> read = new HashMap<>();
        Map<String, List<String>> byBank = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            byBank.computeIfAbsent(a.bank(), b -> new ArrayList<>()).add(a.account());
        }
        for (Map.Entry<String, List<String>> bank : byBank.entrySet()) {
            List<String> ids = bank.getValue();
            for (int from = 0; from < ids.size(); from += BankApi.MAX_BATCH_READ) {
                String chunk = String.join(",", ids.subList(from, Math.min(ids.size(), from + BankApi.MAX_BATCH_READ)));
                HttpResponse<byte[]> r = get(banks.get(bank.getKey()).resolve("/accounts?ids=" + chunk));
                if (r.statusCode() != 200) {
                    throw new IOException("reading accounts of bank " + bank.getKey() + " answered " + r.statusCode());
                }
                JsonNode body = Json.decode(r.body(), JsonNode.class);
                if (!body.path("missing").isEmpty()) {
                    throw new IOException("bank " + bank.getKey() + " has no accounts " + body.path("missing"));
                }
                for (JsonNode account : body.path("accounts")) {
                    read.put(new AccountRef(bank.getKey(), account.path("id").asText()), account.path("balance").asLong());
                }
            }
        }
        Map<AccountRef, Long> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            Long balance = read.get(a);
            if (balance == null) {
                throw new IOException("bank " + a.bank() + " did not answer for account " + a.account());
            }
            out.put(a, balance);
        }
        return out;
    }

    @Override
    public Map<AccountRef, List<Effect>> effects(List<AccountRef> accounts) throws Exception {
        Map<AccountRef, List<Effect>> out = new LinkedHashMap<>();
        for (AccountRef a : accounts) {
            List<Effect> effects = new ArrayList<>();
            long from = 1;
            while (true) {
                HttpResponse<byte[]> r = get(banks.get(a.bank()).resolve("/accounts/" + a.account() + "/history?limit=1000&from=" + from));
                if (r.statusCode() != 200) {
                    throw new IOException("reading the history of " + a + " answered " + r.statusCode());
                }
                JsonNode events = Json.decode(r.body(), JsonNode.class).path("events");
                if (events.isEmpty()) {
                    break;
                }
                for (JsonNode e : events) {
                    from = e.path("version").asLong() + 1;
                    Effect.Kind kind = switch (e.path("type").asText()) {
                        case "ReservationSettled", "Debited" -> Effect.Kind.DEBIT;
                        case "Refunded" -> Effect.Kind.REFUND;
                        case "CreditConfirmed", "Credited" -> Effect.Kind.CREDIT;
                        case "CreditReversed" -> Effect.Kind.CREDIT_REVERSAL;
                        default -> null;
                    };
                    if (kind != null) {
                        effects.add(new Effect(UUID.fromString(e.path("transfer").asText()), kind, e.path("data").path("amount").asLong(),
                                e.path("traceparent").isTextual() ? e.path("traceparent").asText() : null));
                    }
                }
            }
            out.put(a, effects);
        }
        return out;
    }

    /** Opens {@code account} with {@code amount} minor units of {@code currency}. */
    public void open(AccountRef account, long amount, String currency) throws Exception {
        URI bank = banks.get(account.bank());
        send(bank.resolve("/accounts"), Map.of("id", account.account(), "currency", currency));
        send(bank.resolve("/accounts/" + account.account() + "/deposits"), Map.of("amount", amount, "currency", currency));
    }

    private void send(URI uri, Object body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", Json.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(body))).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 300) {
            throw new IOException(uri + " answered " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
