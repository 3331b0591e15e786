package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.example.bank.account.Account;
import dev.tandem.example.bank.account.AccountCommand;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.account.Refusal;
import dev.tandem.example.bank.account.RefusedException;
import dev.tandem.example.bank.tandem.BankAccounts;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.messaging.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /accounts}: open, deposit, balance and history of one bank's accounts (see docs/bank-api.md). */
final class BankApi {

    /** An account's balances as the API shows them. */
    record AccountBody(String bank, String id, String status, String currency, long balance, long held, long available, long pendingIn) {}

    /**
     * One event of an account's history.
     *
     * @param transfer the transfer it belongs to, or null (an opening, a deposit)
     * @param correlationId the correlation id of the request that caused it, or null
     * @param traceparent the W3C trace context of the request that caused it, or null
     */
    record HistoryEntry(long version, String type, Instant at, String transfer, String correlationId, String traceparent, JsonNode data) {}

    static final int MAX_HISTORY_PAGE = 1000;
    /** The most accounts one {@code GET /accounts?ids=...} reads. */
    static final int MAX_BATCH_READ = 200;

    private final BankAccounts book;

    BankApi(BankAccounts book) {
        this.book = book;
    }

    void handle(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
        // "", "accounts", id?, sub?
        if (parts.length == 2 && method.equals("POST")) {
            open(exchange);
        } else if (parts.length == 2 && method.equals("GET")) {
            readMany(exchange);
        } else if (parts.length == 3 && method.equals("GET")) {
            Exchanges.json(exchange, 200, view(parts[2], existing(parts[2])));
        } else if (parts.length == 4 && parts[3].equals("deposits") && method.equals("POST")) {
            deposit(exchange, parts[2]);
        } else if (parts.length == 4 && parts[3].equals("history") && method.equals("GET")) {
            history(exchange, parts[2]);
        } else if (parts.length <= 4) {
            throw new HttpProblem(405, "method_not_allowed", method + " is not supported on " + exchange.getRequestURI().getPath()).raise();
        } else {
            throw HttpProblem.notFound("no resource at " + exchange.getRequestURI().getPath()).raise();
        }
    }

    private void open(HttpExchange exchange) throws Exception {
        JsonNode body = Exchanges.body(exchange);
        String id = AccountRef.requireName(Exchanges.text(body, "id"), "id");
        String currency = Money.requireCurrency(Exchanges.text(body, "currency"));
        Account account = accepted(id, new AccountCommand.Open(currency));
        Exchanges.json(exchange, 201, view(id, account));
    }

    private void deposit(HttpExchange exchange, String id) throws Exception {
        JsonNode body = Exchanges.body(exchange);
        Money amount = Money.of(Exchanges.integer(body, "amount"), Exchanges.text(body, "currency"));
        Account account = accepted(AccountRef.requireName(id, "account"), new AccountCommand.Deposit(amount));
        Exchanges.json(exchange, 200, view(id, account));
    }

    /** {@code GET /accounts?ids=a,b,c}: several accounts in one request; ids with no account are listed as missing. */
    private void readMany(HttpExchange exchange) throws Exception {
        String ids = Query.parse(exchange.getRequestURI().getRawQuery()).get("ids");
        if (ids == null || ids.isBlank()) {
            throw HttpProblem.badRequest("invalid_parameter", "GET /accounts needs ids=a,b,c (1 to " + MAX_BATCH_READ + " account ids)").raise();
        }
        String[] split = ids.split(",", -1);
        if (split.length > MAX_BATCH_READ) {
            throw HttpProblem.badRequest("invalid_parameter", "at most " + MAX_BATCH_READ + " ids per request, got " + split.length).raise();
        }
        List<AccountBody> accounts = new ArrayList<>(split.length);
        List<String> missing = new ArrayList<>();
        for (String id : split) {
            Account a = book.read(AccountRef.requireName(id, "ids"));
            if (a.status() == Account.Status.NONE) {
                missing.add(id);
            } else {
                accounts.add(view(id, a));
            }
        }
        Exchanges.json(exchange, 200, Map.of("accounts", accounts, "missing", missing));
    }

    private void history(HttpExchange exchange, String id) throws Exception {
        existing(id);
        Map<String, String> query = Query.parse(exchange.getRequestURI().getRawQuery());
        long from = Query.number(query, "from", 1, 1, Long.MAX_VALUE);
        int limit = (int) Query.number(query, "limit", 100, 1, MAX_HISTORY_PAGE);
        List<RecordedEvent> events = book.history(id, from, limit);
        List<HistoryEntry> entries = events.stream().map(e -> new HistoryEntry(e.version(), e.type(), e.timestamp(),
                e.metadata().transactionId(), e.metadata().correlationId(), e.metadata().headers().get(Message.TRACEPARENT),
                dev.tandem.core.json.Json.mapper().valueToTree(BankAccounts.decode(e)))).toList();
        Exchanges.json(exchange, 200, Map.of("account", id, "events", entries));
    }

    private Account existing(String id) {
        Account account = book.read(AccountRef.requireName(id, "account"));
        if (account.status() == Account.Status.NONE) {
            throw HttpProblem.notFound("bank " + book.bank() + " has no account '" + id + "'").raise();
        }
        return account;
    }

    private AccountBody view(String id, Account a) {
        return new AccountBody(book.bank(), id, a.status().name(), a.currency(), a.balance(), a.held(), a.available(), a.pendingIn());
    }

    private Account accepted(String id, AccountCommand command) {
        try {
            return book.execute(id, command);
        } catch (RefusedException e) {
            throw refusal(e.refusal()).raise();
        }
    }

    static HttpProblem refusal(Refusal refusal) {
        int status = switch (refusal.reason()) {
            case UNKNOWN_ACCOUNT -> 404;
            case ACCOUNT_EXISTS, IDEMPOTENCY_KEY_REUSED -> 409;
            default -> 422;
        };
        return new HttpProblem(status, refusal.reason().name(), refusal.detail());
    }
}
