package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tandem.core.json.Json;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.service.AccountBook;
import dev.tandem.example.bank.service.Reply;
import dev.tandem.example.bank.transfer.AccountRef;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /participant}: the coordinator's transfer steps on this bank's accounts.
 *
 * <p>Body {@code {"account": "alice", "type": "Reserve", "command": {"transfer": "...", "amount": {...}}}};
 * reply {@code {"accepted": true}} or {@code {"accepted": false, "reason": "...", "detail": "..."}} once durable.
 */
final class ParticipantApi {

    private final AccountBook book;

    ParticipantApi(AccountBook book) {
        this.book = book;
    }

    void handle(HttpExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new HttpProblem(405, "method_not_allowed", "only POST is supported on /participant").raise();
        }
        JsonNode body = Exchanges.body(exchange);
        String account = AccountRef.requireName(Exchanges.text(body, "account"), "account");
        AccountCommand command = decode(Exchanges.text(body, "type"), body.get("command"));
        Reply reply = book.execute(account, command).get(30, TimeUnit.SECONDS);
        Object answer = switch (reply) {
            case Reply.Done d -> Map.of("accepted", true);
            case Reply.Refused r -> Map.of("accepted", false, "reason", r.refusal().reason().name(), "detail", r.refusal().detail());
        };
        Exchanges.json(exchange, 200, answer);
    }

    static AccountCommand decode(String type, JsonNode command) {
        for (Class<?> c : AccountCommand.class.getPermittedSubclasses()) {
            if (c.getSimpleName().equals(type)) {
                if (command == null || !command.isObject()) {
                    throw HttpProblem.badRequest("missing_field", "the field 'command' must be a JSON object").raise();
                }
                try {
                    return (AccountCommand) Json.mapper().treeToValue(command, c);
                } catch (Exception e) {
                    throw HttpProblem.badRequest("invalid_field", "'command' is not a valid " + type + ": " + e.getMessage()).raise();
                }
            }
        }
        throw HttpProblem.badRequest("invalid_field", "unknown command type '" + type + "'").raise();
    }
}
