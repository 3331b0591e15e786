package dev.tandem.example.bank.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.core.json.Json;
import dev.tandem.example.bank.tandem.StandingByException;
import dev.tandem.saga.engine.NotOwnerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading JSON requests and writing JSON responses and problems, with the body size limit. */
final class Exchanges {

    /** The largest request body accepted; larger ones get 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private Exchanges() {}

    static JsonNode body(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpProblem(415, "unsupported_media_type", "send application/json, not " + contentType).raise();
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HttpProblem(413, "body_too_large", "the request body is over the limit of " + MAX_BODY_BYTES + " bytes").raise();
        }
        if (bytes.length == 0) {
            throw HttpProblem.badRequest("malformed_json", "the request body is empty; send a JSON object").raise();
        }
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw HttpProblem.badRequest("malformed_json", "the request body must be a JSON object").raise();
            }
            return node;
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage()).raise();
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw HttpProblem.badRequest("missing_field", "the field '" + field + "' is required").raise();
        }
        if (!v.isTextual()) {
            throw HttpProblem.badRequest("invalid_field", "the field '" + field + "' must be a string, was " + v.getNodeType()).raise();
        }
        return v.asText();
    }

    static String optionalText(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? fallback : text(body, field);
    }

    static long integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw HttpProblem.badRequest("missing_field", "the field '" + field + "' is required").raise();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw HttpProblem.badRequest("invalid_field", "the field '" + field + "' must be an integer of minor units that fits in 64 bits, was "
                    + v).raise();
        }
        return v.asLong();
    }

    static void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, Json.CONTENT_TYPE, Json.encode(value));
    }

    /** Answers {@code status} with {@code body} of {@code contentType}. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Refuses the request with 405 unless its method is {@code method}. */
    static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equals(method)) {
            throw new HttpProblem(405, "method_not_allowed", exchange.getRequestMethod() + " is not supported on "
                    + exchange.getRequestURI().getPath() + "; use " + method).raise();
        }
    }

    /** The 404 for a path no handler serves. */
    static HttpProblem.Raised noResource(HttpExchange exchange) {
        return HttpProblem.notFound("no resource at " + exchange.getRequestURI().getPath()).raise();
    }

    /** Refuses the request unless it is a GET of exactly {@code path} (a context also receives the paths below it). */
    static void requireGetAt(HttpExchange exchange, String path) {
        if (!exchange.getRequestURI().getPath().replaceAll("/+$", "").equals(path)) {
            throw noResource(exchange);
        }
        requireMethod(exchange, "GET");
    }

    static void problem(HttpExchange exchange, HttpProblem p) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", p.status());
        body.put("error", p.code());
        body.put("message", p.message());
        json(exchange, p.status(), body);
    }

    /** Runs {@code handler}, turning every failure into a JSON problem response. */
    static void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            try {
                handler.handle(exchange);
            } catch (HttpProblem.Raised r) {
                problem(exchange, r.problem);
            } catch (InvalidInputException e) {
                problem(exchange, HttpProblem.badRequest("invalid_field", e.getMessage()));
            } catch (StandingByException | NotOwnerException e) { // another coordinator instance leads, or took the lead while this one waited
                problem(exchange, new HttpProblem(503, "not_leader", e.getMessage()));
            } catch (TandemException e) {
                problem(exchange, new HttpProblem(e.isTransient() ? 503 : 500, e.isTransient() ? "unavailable" : "internal", e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem(exchange, new HttpProblem(503, "unavailable", "interrupted"));
            } catch (Exception e) {
                problem(exchange, new HttpProblem(500, "internal", String.valueOf(e)));
            }
        }
    }

    /** A request handler that may fail with anything. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }
}
