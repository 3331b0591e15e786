package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.core.json.Json;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.service.Participants;
import dev.tandem.example.bank.service.Reply;
import dev.tandem.example.bank.transfer.AccountRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reaches banks in other processes through their {@code /participant} endpoint. A bank that does
 * not answer within the timeout fails the call (transient), and the coordinator retries.
 */
public final class HttpParticipants implements Participants {

    private final Map<String, URI> banks;
    private final HttpClient http;
    private final Duration timeout;

    public HttpParticipants(Map<String, URI> banks, Duration timeout) {
        this.banks = Map.copyOf(banks);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletableFuture<Reply> send(AccountRef account, AccountCommand command) {
        URI base = banks.get(account.bank());
        if (base == null) {
            return CompletableFuture.completedFuture(new Reply.Refused(
                    Refusal.of(Refusal.Reason.UNKNOWN_ACCOUNT, "no bank named " + account.bank() + "; known: " + banks.keySet())));
        }
        byte[] body = Json.encode(Map.of("account", account.account(), "type", command.getClass().getSimpleName(), "command", command));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/participant")).timeout(timeout)
                .header("Content-Type", Json.CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new StoreUnavailableException("bank " + account.bank() + " answered " + r.statusCode() + ": " + new String(r.body(),
                        java.nio.charset.StandardCharsets.UTF_8), null);
            }
            JsonNode answer = Json.decode(r.body(), JsonNode.class);
            if (answer.path("accepted").asBoolean()) {
                return new Reply.Done(Account.NONE); // the coordinator needs only the verdict, not the account
            }
            return new Reply.Refused(Refusal.of(Refusal.Reason.valueOf(answer.path("reason").asText()), answer.path("detail").asText()));
        });
    }
}
