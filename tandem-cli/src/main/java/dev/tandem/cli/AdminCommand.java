package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tandem admin}: an operator's commands against a running service's {@code /admin} HTTP API (see
 * docs/bank-api.md): STUCK and old transactions, retry and resolve, parked messages and their replay or discard.
 * Prints the service's JSON answer; exits 1 when the service refused (with its reason) or cannot be reached.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Operate a running service through its HTTP API: its health; list STUCK or old transactions, retry or "
                + "resolve one; list, replay or discard parked messages. Every change is recorded as an event in the service's store.",
        subcommands = {AdminCommand.Health.class, AdminCommand.Transactions.class, AdminCommand.Counts.class, AdminCommand.Show.class, AdminCommand.Retry.class,
                AdminCommand.Resolve.class, AdminCommand.Parked.class, AdminCommand.Replay.class, AdminCommand.Discard.class})
public final class AdminCommand implements Runnable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "The service's HTTP address, e.g. http://127.0.0.1:8080 (the coordinator's for transactions).")
    String url;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Sends one request and prints the answer; the exit code. */
    int call(CommandSpec command, String method, String path, JsonNode body) throws Exception {
        URI base = base();
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", Json.CONTENT_TYPE);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", Json.CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofByteArray(Json.encode(body)));
        }
        HttpResponse<byte[]> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpTimeoutException e) {
            err.println("tandem admin: cannot reach " + base + " (is the service running, on that port?): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("tandem admin: " + method + " " + base.resolve(path) + " failed: " + e);
            err.flush();
            return 1;
        }
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            err.println("tandem admin: " + base + " answered " + response.statusCode() + " with a body that is not JSON; is it a Tandem service?");
            err.flush();
            return 1;
        }
        boolean healthDown = response.statusCode() == 503 && answer != null && answer.has("checks"); // /health: DOWN, with its checks
        if (response.statusCode() / 100 != 2 && !healthDown) {
            err.println("tandem admin: " + response.statusCode() + " " + (answer == null ? "" : answer.path("error").asText("") + ": "
                    + answer.path("message").asText("")));
            err.flush();
            return 1;
        }
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        out.flush();
        return healthDown ? 1 : 0;
    }

    private URI base() {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("--url", "'" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw InvalidInputException.of("--url", "must be an http:// address with a host, such as http://127.0.0.1:8080, was '" + url + "'");
        }
        return base;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String requireText(String value, String option) {
        return InvalidInputException.requireText(value, option, 2_000);
    }

    static UUID messageId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("MESSAGE_ID", "'" + text + "' is not a message id (a UUID)");
        }
    }

    static String ownerQuery(String owner) {
        return owner == null ? "" : "?owner=" + encode(owner);
    }

    /** Base of the subcommands: the parent's --url and this command's spec. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Spec
        CommandSpec spec;
    }

    @Command(name = "health", mixinStandardHelpOptions = true,
            description = "The service's health checks; exits 0 when it is UP, 1 when it is DOWN or cannot be reached.")
    static final class Health extends Sub {
        @Override
        public Integer call() throws Exception {
            return admin.call(spec, "GET", "health", null);
        }
    }

    @Command(name = "transactions", mixinStandardHelpOptions = true, description = "List transactions in a status, or not final and older than an age.")
    static final class Transactions extends Sub {
        static final class Filter {
            @Option(names = "--status", required = true, description = "RUNNING, CONFIRMING, COMPENSATING, COMMITTED, COMPENSATED or STUCK.")
            String status;

            @Option(names = "--older-than", required = true, description = "Not final and started longer ago than this (e.g. 30s, 5m, 2h).")
            String olderThan;
        }

        @ArgGroup(multiplicity = "1")
        Filter filter;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many, oldest first (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            String query = filter.status != null ? "status=" + encode(filter.status)
                    : "olderThan=" + encode(Durations.parse(filter.olderThan, "--older-than").toString());
            return admin.call(spec, "GET", "admin/transactions?" + query + "&limit=" + limit, null);
        }
    }

    @Command(name = "counts", mixinStandardHelpOptions = true, description = "How many transactions are in each status.")
    static final class Counts extends Sub {
        @Override
        public Integer call() throws Exception {
            return admin.call(spec, "GET", "admin/transactions/counts", null);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One transaction: status, steps, definition version and timeline.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "TRANSACTION_ID")
        String id;

        @Override
        public Integer call() throws Exception {
            return admin.call(spec, "GET", "admin/transactions/" + encode(requireText(id, "TRANSACTION_ID")), null);
        }
    }

    /** Base of the operator commands on one STUCK transaction: its id, who decides and why (both recorded). */
    abstract static class OnStuckTransaction extends Sub {
        @Parameters(paramLabel = "TRANSACTION_ID")
        String id;

        @Option(names = "--operator", required = true, description = "Who decides (recorded).")
        String operator;

        @Option(names = "--reason", required = true, description = "Why, and what was repaired (recorded).")
        String reason;

        int send(String action, ObjectNode body) throws Exception {
            body.put("operator", requireText(operator, "--operator")).put("reason", requireText(reason, "--reason"));
            return admin.call(spec, "POST", "admin/transactions/" + encode(requireText(id, "TRANSACTION_ID")) + "/" + action, body);
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Give a STUCK transaction's failing phase a fresh budget of attempts.")
    static final class Retry extends OnStuckTransaction {
        @Override
        public Integer call() throws Exception {
            return send("retry", Json.mapper().createObjectNode());
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Declare a STUCK transaction COMMITTED or COMPENSATED after a manual repair.")
    static final class Resolve extends OnStuckTransaction {
        @Option(names = "--as", required = true, description = "COMMITTED or COMPENSATED.")
        String resolution;

        @Override
        public Integer call() throws Exception {
            return send("resolve", Json.mapper().createObjectNode().put("resolution", requireText(resolution, "--as")));
        }
    }

    @Command(name = "parked", mixinStandardHelpOptions = true, description = "List the messages the service's outbox relay and inboxes parked.")
    static final class Parked extends Sub {
        @Option(names = "--owner", description = "Only this owner's, e.g. inbox-bank-A/bank-A or outbox-bank-A.")
        String owner;

        @Override
        public Integer call() throws Exception {
            return admin.call(spec, "GET", "admin/dead-letters" + ownerQuery(owner), null);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Handle (or publish) a parked message again; it stays parked if that fails.")
    static final class Replay extends Sub {
        @Parameters(paramLabel = "MESSAGE_ID")
        String id;

        @Option(names = "--owner", description = "The owner that parked it, when more than one did.")
        String owner;

        @Override
        public Integer call() throws Exception {
            return admin.call(spec, "POST", "admin/dead-letters/" + messageId(id) + "/replay" + ownerQuery(owner), null);
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true, description = "Drop a parked message for good, with a note saying why.")
    static final class Discard extends Sub {
        @Parameters(paramLabel = "MESSAGE_ID")
        String id;

        @Option(names = "--note", required = true, description = "Why, and who decided (recorded).")
        String note;

        @Option(names = "--owner", description = "The owner that parked it, when more than one did.")
        String owner;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Json.mapper().createObjectNode().put("note", requireText(note, "--note"));
            return admin.call(spec, "POST", "admin/dead-letters/" + messageId(id) + "/discard" + ownerQuery(owner), body);
        }
    }
}
