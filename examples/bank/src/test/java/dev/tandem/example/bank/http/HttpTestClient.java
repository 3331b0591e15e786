package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The tests' HTTP client: one JSON request to a service on loopback, its status and JSON body. */
final class HttpTestClient {

    record Response(int status, JsonNode body) {}

    record Text(int status, String contentType, String body) {}

    private final HttpClient http = HttpClient.newHttpClient();

    Response send(BankHttpServer server, String method, String path, String body) throws Exception {
        return send(server, method, path, body, Map.of());
    }

    /** As {@link #send(BankHttpServer, String, String, String)}, with these request headers too. */
    Response send(BankHttpServer server, String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json");
        headers.forEach(r::header);
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<byte[]> response = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), Json.mapper().readTree(response.body()));
    }

    Text get(BankHttpServer server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Text(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }
}
