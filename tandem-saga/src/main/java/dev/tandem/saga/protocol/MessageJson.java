package dev.tandem.saga.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tandem.core.Rfc3339;
import dev.tandem.saga.definition.Phase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The two payloads every step of every transaction carries, {@link BranchCommand} and {@link BranchReply}, through
 * Jackson's streaming API instead of data binding, which costs several times more for such small documents.
 *
 * <p>Writing gives byte for byte what data binding writes (fields in declaration order, nulls written, enums by
 * name, instants as {@link Rfc3339} text); a test holds them equal. Reading takes the documents in that form, fields
 * in any order and unknown ones skipped; on anything else (a null for a number, an instant given as a number, a name
 * that is no constant, malformed JSON) it answers null, and the caller reads the document through data binding, so
 * unusual documents decode, or fail, exactly as they always did.
 */
final class MessageJson {

    private MessageJson() {}

    static byte[] write(BranchCommand c, JsonFactory factory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (c.input() == null ? 0 : c.input().length()));
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            text(g, "transactionId", c.transactionId());
            text(g, "definition", c.definition());
            g.writeNumberField("step", c.step());
            text(g, "stepName", c.stepName());
            text(g, "phase", c.phase() == null ? null : c.phase().name());
            text(g, "operation", c.operation());
            g.writeNumberField("attempt", c.attempt());
            text(g, "input", c.input());
            text(g, "replyTo", c.replyTo());
            text(g, "timeoutAt", c.timeoutAt() == null ? null : Rfc3339.formatUtc(c.timeoutAt()));
            text(g, "at", c.at() == null ? null : Rfc3339.formatUtc(c.at()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a command to memory failed", e);
        }
        return out.toByteArray();
    }

    /** A reply's fields, then {@code mark} when not null (the participant's stored form of its barrier event). */
    static byte[] write(BranchReply r, String mark, JsonFactory factory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            text(g, "transactionId", r.transactionId());
            g.writeNumberField("step", r.step());
            text(g, "phase", r.phase() == null ? null : r.phase().name());
            g.writeNumberField("attempt", r.attempt());
            text(g, "outcome", r.outcome() == null ? null : r.outcome().name());
            text(g, "reason", r.reason());
            if (mark != null) {
                text(g, "mark", mark);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a reply to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void text(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    /** The command, or null when the document is not in the plain form (the caller then uses data binding). */
    static BranchCommand readCommand(byte[] bytes, JsonFactory factory) {
        String transactionId = null;
        String definition = null;
        int step = 0;
        String stepName = null;
        Phase phase = null;
        String operation = null;
        int attempt = 0;
        String input = null;
        String replyTo = null;
        Instant timeoutAt = null;
        Instant at = null;
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "transactionId" -> transactionId = text(p, v);
                    case "definition" -> definition = text(p, v);
                    case "step" -> step = number(p, v);
                    case "stepName" -> stepName = text(p, v);
                    case "phase" -> phase = phase(p, v);
                    case "operation" -> operation = text(p, v);
                    case "attempt" -> attempt = number(p, v);
                    case "input" -> input = text(p, v);
                    case "replyTo" -> replyTo = text(p, v);
                    case "timeoutAt" -> timeoutAt = instant(p, v);
                    case "at" -> at = instant(p, v);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | NotPlain e) {
            return null;
        }
        return new BranchCommand(transactionId, definition, step, stepName, phase, operation, attempt, input, replyTo, timeoutAt, at);
    }

    /** The reply (a participant's stored barrier record reads as one: its mark is skipped), or null as above. */
    static BranchReply readReply(byte[] bytes, JsonFactory factory) {
        String transactionId = null;
        int step = 0;
        Phase phase = null;
        int attempt = 0;
        ReplyOutcome outcome = null;
        String reason = null;
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "transactionId" -> transactionId = text(p, v);
                    case "step" -> step = number(p, v);
                    case "phase" -> phase = phase(p, v);
                    case "attempt" -> attempt = number(p, v);
                    case "outcome" -> outcome = outcome(p, v);
                    case "reason" -> reason = text(p, v);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException | NotPlain e) {
            return null;
        }
        return new BranchReply(transactionId, step, phase, attempt, outcome, reason);
    }

    /** The document is valid but not in the plain form: data binding decides what it means. */
    private static final class NotPlain extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw NotPlain.INSTANCE;
        };
    }

    private static int number(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw NotPlain.INSTANCE;
        }
        return p.getIntValue();
    }

    private static Phase phase(JsonParser p, JsonToken v) throws IOException {
        String name = text(p, v);
        if (name == null) {
            return null;
        }
        for (Phase phase : Phase.values()) {
            if (phase.name().equals(name)) {
                return phase;
            }
        }
        throw NotPlain.INSTANCE;
    }

    private static ReplyOutcome outcome(JsonParser p, JsonToken v) throws IOException {
        String name = text(p, v);
        if (name == null) {
            return null;
        }
        for (ReplyOutcome outcome : ReplyOutcome.values()) {
            if (outcome.name().equals(name)) {
                return outcome;
            }
        }
        throw NotPlain.INSTANCE;
    }

    private static Instant instant(JsonParser p, JsonToken v) throws IOException {
        String text = text(p, v);
        if (text == null) {
            return null;
        }
        Instant parsed = Rfc3339.parseUtc(text);
        if (parsed == null) {
            throw NotPlain.INSTANCE;
        }
        return parsed;
    }
}
