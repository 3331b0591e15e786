package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.tandem.core.InvalidInputException;
import dev.tandem.example.bank.account.Money;
import dev.tandem.example.bank.account.RefusedException;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.example.bank.tandem.TransferState;
import dev.tandem.example.bank.transfer.AccountRef;
import dev.tandem.example.bank.transfer.TransferMode;
import dev.tandem.example.bank.transfer.TransferRequest;
import dev.tandem.example.bank.transfer.TransferResult;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.TraceContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code /transfers}: start a transfer with an idempotency key, get its state and timeline (see docs/bank-api.md). */
final class TransferApi {

    static final long MAX_WAIT_MILLIS = 30_000;

    private final CoordinatorService coordinator;

    TransferApi(CoordinatorService coordinator) {
        this.coordinator = coordinator;
    }

    void handle(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
        if (parts.length == 2 && method.equals("POST")) {
            start(exchange);
        } else if (parts.length == 3 && method.equals("GET")) {
            get(exchange, parts[2]);
        } else if (parts.length <= 3) {
            throw new HttpProblem(405, "method_not_allowed", method + " is not supported on " + exchange.getRequestURI().getPath()).raise();
        } else {
            throw HttpProblem.notFound("no resource at " + exchange.getRequestURI().getPath()).raise();
        }
    }

    /** The request's header for a correlation id, beside W3C's {@code traceparent} and {@code tracestate}. */
    static final String CORRELATION_ID = "X-Correlation-Id";

    /**
     * The caller's context: its {@value #CORRELATION_ID} (checked: a bad one is refused) and its W3C trace headers (a
     * malformed trace header is ignored, as W3C Trace Context asks of a receiver, not refused).
     */
    private static TraceContext trace(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        String correlationId = headers.getFirst(CORRELATION_ID);
        TraceContext trace = TraceContext.received(headers.getFirst(Message.TRACEPARENT), headers.getFirst(TraceContext.TRACESTATE));
        try {
            return correlationId == null ? trace : new TraceContext(correlationId, trace.traceparent(), trace.tracestate());
        } catch (InvalidInputException e) {
            throw HttpProblem.badRequest("invalid_header", "the header " + CORRELATION_ID + " " + e.getMessage()).raise();
        }
    }

    private void start(HttpExchange exchange) throws Exception {
        JsonNode body = Exchanges.body(exchange);
        String modeText = Exchanges.optionalText(body, "mode", "tcc");
        TransferMode mode;
        try {
            mode = TransferMode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_field", "the field 'mode' must be 'tcc' or 'saga', was '" + modeText + "'").raise();
        }
        TransferRequest request = new TransferRequest(Exchanges.text(body, "idempotencyKey"),
                AccountRef.parse(Exchanges.text(body, "from"), "from"), AccountRef.parse(Exchanges.text(body, "to"), "to"),
                Money.of(Exchanges.integer(body, "amount"), Exchanges.text(body, "currency")), mode);
        long wait = Query.number(Query.parse(exchange.getRequestURI().getRawQuery()), "waitMillis", 5_000, 0, MAX_WAIT_MILLIS);
        CompletableFuture<TransferResult> running;
        try {
            running = coordinator.start(request, trace(exchange));
        } catch (RefusedException e) {
            throw BankApi.refusal(e.refusal()).raise();
        }
        try {
            TransferResult result = running.get(wait, TimeUnit.MILLISECONDS);
            Exchanges.json(exchange, 200, result);
        } catch (TimeoutException e) {
            Exchanges.json(exchange, 202, new TransferResult(request.transferId(), dev.tandem.example.bank.transfer.TransferOutcome.PENDING, null));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RefusedException r) {
                throw BankApi.refusal(r.refusal()).raise();
            }
            if (e.getCause() instanceof dev.tandem.core.TandemException t) {
                throw t; // a transient store failure answers 503, anything else 500
            }
            throw e;
        }
    }

    private void get(HttpExchange exchange, String idText) throws Exception {
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_parameter", "'" + idText + "' is not a transfer id (a UUID)").raise();
        }
        TransferState view = coordinator.find(id).orElseThrow(() -> HttpProblem.notFound("no transfer " + id).raise());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", view.id());
        body.put("outcome", view.outcome());
        body.put("status", view.status());
        body.put("reason", view.reason());
        body.put("from", view.from().toString());
        body.put("to", view.to().toString());
        body.put("amount", view.amount());
        body.put("currency", view.currency());
        body.put("mode", view.mode());
        body.put("correlationId", view.correlationId());
        body.put("traceparent", view.traceparent());
        body.put("timeline", view.timeline());
        Exchanges.json(exchange, 200, body);
    }
}
