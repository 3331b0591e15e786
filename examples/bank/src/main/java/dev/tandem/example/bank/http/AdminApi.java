package dev.tandem.example.bank.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tandem.core.InvalidInputException;
import dev.tandem.core.TandemException;
import dev.tandem.eventstore.Metadata;
import dev.tandem.example.bank.tandem.CoordinatorService;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetters;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.runtime.ServiceNode;
import dev.tandem.saga.coordinator.Status;
import dev.tandem.saga.coordinator.Transaction;
import dev.tandem.saga.coordinator.TransactionRejectedException;
import dev.tandem.saga.engine.TransactionView;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code /admin}: what an operator needs of a running service (see docs/bank-api.md). On every service: the messages
 * its outbox relay and its inbox parked, to list, replay or discard (each action recorded as an event in the service's
 * store). On the coordinator also: transactions by status or age, counts by status, and the two operator commands on
 * a STUCK transaction, retry and resolve (each recorded as an audited event in the transaction's stream).
 */
final class AdminApi {

    static final int MAX_LIMIT = 1_000;

    /** One party that parks messages: an outbox relay or an inbox consumer, with its replay. */
    private record Owner(DeadLetters letters, Consumer<UUID> replay) {
        String name() {
            return letters.owner();
        }
    }

    /** A parked message as the API shows it. */
    record LetterView(String owner, UUID messageId, String reason, int attempts, String lastError, Instant parkedAt, MessageView message) {}

    /**
     * The parked message's envelope; its payload as text when it is valid UTF-8, else as base64 in {@code payloadBase64}.
     */
    record MessageView(String source, String destination, String partitionKey, long sequence, Instant timestamp, String type,
            String contentType, Metadata headers, int payloadBytes, String payload, String payloadBase64) {}

    /** One transaction in a list. */
    record TransactionSummary(String id, String definition, int definitionVersion, Status status, Status stuckIn, String reason,
            Instant startedAt, Instant updatedAt) {}

    private final Supplier<List<ServiceNode>> nodes;
    private final CoordinatorService coordinator;

    /**
     * @param nodes the service's messaging nodes now (a coordinator instance that stands by has none)
     * @param coordinator the coordinator's service, or null on a bank (then only parked messages are served)
     */
    AdminApi(Supplier<List<ServiceNode>> nodes, CoordinatorService coordinator) {
        this.nodes = nodes;
        this.coordinator = coordinator;
    }

    /** The owners of parked messages: each node's relay and inbox consumers. */
    private List<Owner> owners() {
        List<Owner> all = new ArrayList<>();
        for (ServiceNode node : nodes.get()) {
            all.add(new Owner(node.relay().deadLetters(), node.relay()::replay));
            for (InboxConsumer inbox : node.inboxes().values()) {
                all.add(new Owner(inbox.deadLetters(), inbox::replay));
            }
        }
        return all;
    }

    void handle(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
        // parts: "", "admin", resource, ...
        String resource = parts.length > 2 ? parts[2] : "";
        Map<String, String> query = Query.parse(exchange.getRequestURI().getRawQuery());
        switch (resource) {
            case "dead-letters" -> {
                if (parts.length == 3) {
                    Exchanges.requireMethod(exchange, "GET");
                    listLetters(exchange, query);
                } else if (parts.length == 5 && parts[4].equals("replay")) {
                    Exchanges.requireMethod(exchange, "POST");
                    replay(exchange, parts[3], query);
                } else if (parts.length == 5 && parts[4].equals("discard")) {
                    Exchanges.requireMethod(exchange, "POST");
                    discard(exchange, parts[3], query);
                } else {
                    throw Exchanges.noResource(exchange);
                }
            }
            case "transactions" -> {
                if (coordinator == null) {
                    throw HttpProblem.notFound("this service is a bank: transactions are served by the coordinator's /admin/transactions").raise();
                }
                if (parts.length == 3) {
                    Exchanges.requireMethod(exchange, "GET");
                    listTransactions(exchange, query);
                } else if (parts.length == 4 && parts[3].equals("counts")) {
                    Exchanges.requireMethod(exchange, "GET");
                    counts(exchange);
                } else if (parts.length == 4) {
                    Exchanges.requireMethod(exchange, "GET");
                    Exchanges.json(exchange, 200, view(parts[3]));
                } else if (parts.length == 5 && parts[4].equals("retry")) {
                    Exchanges.requireMethod(exchange, "POST");
                    retry(exchange, parts[3]);
                } else if (parts.length == 5 && parts[4].equals("resolve")) {
                    Exchanges.requireMethod(exchange, "POST");
                    resolve(exchange, parts[3]);
                } else {
                    throw Exchanges.noResource(exchange);
                }
            }
            default -> throw Exchanges.noResource(exchange);
        }
    }

    // --- parked messages ---

    private void listLetters(HttpExchange exchange, Map<String, String> query) throws Exception {
        List<LetterView> letters = new ArrayList<>();
        for (Owner owner : selected(query)) {
            for (DeadLetter letter : owner.letters().list()) {
                letters.add(view(owner, letter));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owners", owners().stream().map(Owner::name).toList());
        body.put("letters", letters);
        Exchanges.json(exchange, 200, body);
    }

    private void replay(HttpExchange exchange, String idText, Map<String, String> query) throws Exception {
        UUID id = uuid(idText, "message id");
        Owner owner = parkedBy(id, query);
        try {
            owner.replay().accept(id);
        } catch (TandemException e) {
            if (e.isTransient()) {
                throw new HttpProblem(503, "unavailable", "the replay of " + id + " by " + owner.name() + " could not run now: " + e.getMessage()).raise();
            }
            throw new HttpProblem(422, "replay_failed", "the replay of " + id + " by " + owner.name() + " failed, the message stays parked: "
                    + e.getMessage() + (e.getCause() == null ? "" : " (" + DeadLetter.describe(e.getCause()) + ")")).raise();
        }
        Exchanges.json(exchange, 200, Map.of("owner", owner.name(), "messageId", id, "action", "replayed"));
    }

    private void discard(HttpExchange exchange, String idText, Map<String, String> query) throws Exception {
        UUID id = uuid(idText, "message id");
        String note = InvalidInputException.requireText(Exchanges.text(Exchanges.body(exchange), "note"), "note", DeadLetters.MAX_NOTE);
        Owner owner = parkedBy(id, query);
        owner.letters().discard(id, note);
        Exchanges.json(exchange, 200, Map.of("owner", owner.name(), "messageId", id, "action", "discarded"));
    }

    /** The owners named by {@code ?owner=} (one), or all. */
    private List<Owner> selected(Map<String, String> query) {
        String name = query.get("owner");
        List<Owner> owners = owners();
        if (name == null) {
            return owners;
        }
        return owners.stream().filter(o -> o.name().equals(name)).findFirst().map(List::of)
                .orElseThrow(() -> HttpProblem.notFound("no owner of parked messages named '" + name + "'; this service has "
                        + owners.stream().map(Owner::name).toList()).raise());
    }

    /** The one owner that has {@code id} parked now. */
    private Owner parkedBy(UUID id, Map<String, String> query) {
        List<Owner> holding = selected(query).stream().filter(o -> o.letters().find(id).isPresent()).toList();
        if (holding.isEmpty()) {
            throw HttpProblem.notFound("no message " + id + " is parked" + (query.containsKey("owner") ? " by " + query.get("owner") : "")
                    + " (it may have been replayed or discarded already)").raise();
        }
        if (holding.size() > 1) {
            throw new HttpProblem(409, "ambiguous", "message " + id + " is parked by " + holding.stream().map(Owner::name).toList()
                    + "; name one with ?owner=").raise();
        }
        return holding.getFirst();
    }

    private static LetterView view(Owner owner, DeadLetter letter) {
        Message m = letter.message();
        String text = utf8(m.payload());
        MessageView message = new MessageView(m.source(), m.destination(), m.partitionKey(), m.sequence(), m.timestamp(), m.type(),
                m.contentType(), m.headers(), m.payload().length, text, text == null ? Base64.getEncoder().encodeToString(m.payload()) : null);
        return new LetterView(owner.name(), m.id(), letter.reason().name(), letter.attempts(), letter.lastError(), letter.parkedAt(), message);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // --- transactions (coordinator) ---

    private void listTransactions(HttpExchange exchange, Map<String, String> query) throws Exception {
        int limit = (int) Query.number(query, "limit", 100, 1, MAX_LIMIT);
        String statusText = query.get("status");
        String olderThanText = query.get("olderThan");
        if ((statusText == null) == (olderThanText == null)) {
            throw HttpProblem.badRequest("invalid_parameter", "give exactly one of 'status' (one of " + List.of(Status.values())
                    + ") and 'olderThan' (an ISO-8601 duration such as PT5M: transactions not final that started longer ago)").raise();
        }
        List<Transaction> found;
        if (statusText != null) {
            found = coordinator.queries().byStatus(status(statusText, "status", List.of(Status.values())), limit);
        } else {
            found = coordinator.queries().unfinishedOlderThan(duration(olderThanText), limit);
        }
        List<TransactionSummary> summaries = found.stream()
                .map(t -> new TransactionSummary(t.id(), t.definition().name(), t.definition().version(), t.status(), t.stuckIn(), t.reason(),
                        t.startedAt(), t.updatedAt()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactions", summaries);
        body.put("limit", limit);
        Exchanges.json(exchange, 200, body);
    }

    private void counts(HttpExchange exchange) throws Exception {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0L);
        }
        counts.putAll(coordinator.queries().countByStatus());
        Exchanges.json(exchange, 200, counts);
    }

    private TransactionView view(String id) {
        return coordinator.coordinator().find(id).orElseThrow(() -> HttpProblem.notFound("no transaction " + id).raise());
    }

    private void retry(HttpExchange exchange, String id) throws Exception {
        JsonNode body = Exchanges.body(exchange);
        String operator = Exchanges.text(body, "operator");
        String reason = Exchanges.text(body, "reason");
        operatorCommand(() -> coordinator.coordinator().operatorRetry(id, operator, reason));
        Exchanges.json(exchange, 200, view(id));
    }

    private void resolve(HttpExchange exchange, String id) throws Exception {
        JsonNode body = Exchanges.body(exchange);
        String operator = Exchanges.text(body, "operator");
        String reason = Exchanges.text(body, "reason");
        Status resolution = status(Exchanges.text(body, "resolution"), "resolution", List.of(Status.COMMITTED, Status.COMPENSATED));
        operatorCommand(() -> coordinator.coordinator().operatorResolve(id, resolution, operator, reason));
        Exchanges.json(exchange, 200, view(id));
    }

    private static void operatorCommand(Runnable command) {
        try {
            command.run();
        } catch (TransactionRejectedException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> HttpProblem.notFound(e.getMessage()).raise();
                case NOT_STUCK -> new HttpProblem(409, "not_stuck", e.getMessage()).raise();
                default -> new HttpProblem(409, e.reason().name().toLowerCase(Locale.ROOT), e.getMessage()).raise();
            };
        }
    }

    // --- parameters ---

    private static Status status(String text, String field, List<Status> allowed) {
        for (Status s : allowed) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw HttpProblem.badRequest("invalid_parameter", "'" + field + "' must be one of " + allowed + ", was '" + text + "'").raise();
    }

    private static Duration duration(String text) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative()) {
                throw HttpProblem.badRequest("invalid_parameter", "'olderThan' must not be negative, was " + text).raise();
            }
            return d;
        } catch (DateTimeParseException e) {
            throw HttpProblem.badRequest("invalid_parameter", "'olderThan' must be an ISO-8601 duration such as PT5M or PT1H, was '" + text + "'").raise();
        }
    }

    private static UUID uuid(String text, String what) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_parameter", "'" + text + "' is not a " + what + " (a UUID)").raise();
        }
    }

}
