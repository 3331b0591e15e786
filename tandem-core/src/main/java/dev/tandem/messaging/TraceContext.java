package dev.tandem.messaging;

import dev.tandem.core.InvalidInputException;
import dev.tandem.eventstore.Metadata;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a unit of work came from, carried unchanged through every event and message it causes: the caller's
 * correlation id and its W3C trace context ({@code traceparent}, {@code tracestate}).
 *
 * <p>Every message and event a distributed transaction causes carries the {@code traceparent} the transaction started
 * with, unchanged, so a tracing backend groups them under the caller's trace, as children of the caller's span; the
 * spans Tandem records through OpenTelemetry ({@link Tracing}) are children of that span too.
 *
 * @param correlationId the id shared by everything one request caused, or null (then the transaction id serves)
 * @param traceparent a W3C {@code traceparent} (e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}), or null
 * @param tracestate a W3C {@code tracestate}, or null; only with a {@code traceparent}
 */
public record TraceContext(String correlationId, String traceparent, String tracestate) {

    /** No correlation id and no trace. */
    public static final TraceContext NONE = new TraceContext(null, null, null);

    /** The W3C trace state header's name, beside {@link Message#TRACEPARENT}. */
    public static final String TRACESTATE = "tracestate";

    /** The longest {@code tracestate} W3C allows a vendor to propagate. */
    public static final int MAX_TRACESTATE_LENGTH = 512;

    public TraceContext {
        if (correlationId != null) {
            InvalidInputException.requireText(correlationId, "trace.correlationId", 200);
        }
        if (traceparent != null) {
            checkTraceparent(traceparent);
        }
        if (tracestate != null) {
            checkTracestate(tracestate, traceparent);
        }
    }

    /** A context with only a trace. */
    public static TraceContext ofTrace(String traceparent, String tracestate) {
        return new TraceContext(null, traceparent, tracestate);
    }

    /**
     * The context {@code metadata} carries: its correlation id and trace headers. A trace header that is not valid W3C
     * trace context is dropped, not refused: a message from elsewhere must not fail for it.
     */
    public static TraceContext of(Metadata metadata) {
        InvalidInputException.requireNonNull(metadata, "metadata");
        TraceContext trace = received(metadata.headers().get(Message.TRACEPARENT), metadata.headers().get(TRACESTATE));
        return metadata.correlationId() == null ? trace : new TraceContext(metadata.correlationId(), trace.traceparent, trace.tracestate);
    }

    /**
     * The trace context of W3C headers received from elsewhere (either may be null): one that is malformed is ignored, as
     * W3C Trace Context asks of a receiver, rather than refused; so is a {@code tracestate} without a valid {@code traceparent}.
     */
    public static TraceContext received(String traceparent, String tracestate) {
        if (traceparent == null || !isTraceparent(traceparent)) {
            return NONE;
        }
        return new TraceContext(null, traceparent, tracestate != null && isTracestate(tracestate) ? tracestate : null);
    }

    /**
     * The metadata of an event or message this context caused within {@code transactionId}.
     *
     * @param transactionId the distributed transaction, or null
     * @param causationId the message or event that caused it, or null
     */
    public Metadata metadata(String transactionId, String causationId) {
        Map<String, String> headers = Map.of();
        if (traceparent != null) {
            TreeMap<String, String> h = new TreeMap<>();
            h.put(Message.TRACEPARENT, traceparent);
            if (tracestate != null) {
                h.put(TRACESTATE, tracestate);
            }
            headers = h;
        }
        return new Metadata(correlationId != null ? correlationId : transactionId, causationId, transactionId, headers);
    }

    /** Whether {@code value} is a W3C {@code traceparent}: version-traceid-parentid-flags in lower-case hex. */
    public static boolean isTraceparent(String value) {
        return traceparentProblem(value) == null;
    }

    private static void checkTraceparent(String value) {
        String problem = traceparentProblem(value);
        if (problem != null) {
            throw InvalidInputException.of("trace.traceparent", "'" + shorten(value) + "' is not a W3C traceparent: " + problem);
        }
    }

    private static String traceparentProblem(String v) {
        if (v.length() < 55) {
            return "expected version-traceid-parentid-flags, 55 characters, got " + v.length();
        }
        if (v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return "expected '-' after the version, the trace id and the parent id";
        }
        if (!lowerHex(v, 0, 2) || !lowerHex(v, 3, 35) || !lowerHex(v, 36, 52) || !lowerHex(v, 53, 55)) {
            return "its fields must be lower-case hexadecimal";
        }
        if (v.startsWith("ff")) {
            return "version ff is invalid";
        }
        if (v.startsWith("00") && v.length() != 55) {
            return "version 00 has exactly 55 characters, got " + v.length();
        }
        if (v.length() > 55 && v.charAt(55) != '-') {
            return "a later version's further fields must follow a '-'";
        }
        if (allZero(v, 3, 35)) {
            return "the trace id must not be all zeros";
        }
        if (allZero(v, 36, 52)) {
            return "the parent id must not be all zeros";
        }
        return null;
    }

    private static boolean isTracestate(String value) {
        if (value.length() > MAX_TRACESTATE_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void checkTracestate(String value, String traceparent) {
        if (traceparent == null) {
            throw InvalidInputException.of("trace.tracestate", "is given without a traceparent");
        }
        if (value.length() > MAX_TRACESTATE_LENGTH) {
            throw InvalidInputException.tooLong("trace.tracestate", value.length(), MAX_TRACESTATE_LENGTH);
        }
        if (!isTracestate(value)) {
            throw InvalidInputException.of("trace.tracestate", "'" + shorten(value) + "' holds a character outside printable ASCII");
        }
    }

    private static boolean lowerHex(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 80) + "…";
    }
}
