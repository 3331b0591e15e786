package dev.tandem.messaging;

import dev.tandem.core.InvalidInputException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * What a traced unit of work puts in SLF4J's {@link MDC} while Tandem runs code for it, so that log lines written
 * meanwhile (by a message handler, or by a listener told of a STUCK transaction) carry the trace: {@value #TRACE_ID}
 * and {@value #SPAN_ID} (from the W3C {@code traceparent}, the names tracing libraries' log correlation uses; the span id is
 * that of the current span when one of the same trace is current, such as {@link Tracing}'s {@code process} span), and
 * {@value #TRANSACTION_ID}, {@value #CORRELATION_ID} and {@value #MESSAGE_ID} when known. Only traced work does: a
 * message without a {@code traceparent} costs nothing here.
 *
 * <p>Put a key in your log pattern to see it, e.g. Logback's {@code %X{traceId}}. Closing removes the keys again.
 */
public final class LogContext implements AutoCloseable {

    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";
    public static final String TRANSACTION_ID = "tandem.transactionId";
    public static final String CORRELATION_ID = "tandem.correlationId";
    public static final String MESSAGE_ID = "tandem.messageId";

    private static final LogContext NOTHING = new LogContext(List.of());

    private final List<String> keys;

    private LogContext(List<String> keys) {
        this.keys = keys;
    }

    /** The context of handling {@code message}; nothing when it carries no valid {@code traceparent}. */
    public static LogContext of(Message message) {
        InvalidInputException.requireNonNull(message, "message");
        String traceparent = message.traceparent();
        if (traceparent == null) {
            return NOTHING;
        }
        return put(TraceContext.of(message.headers()), message.headers().transactionId(), message.id().toString());
    }

    /** The context of work for {@code transactionId}, started with {@code trace}; nothing without a trace. */
    public static LogContext of(TraceContext trace, String transactionId) {
        InvalidInputException.requireNonNull(trace, "trace");
        return put(trace, transactionId, null);
    }

    private static LogContext put(TraceContext trace, String transactionId, String messageId) {
        String traceparent = trace.traceparent();
        if (traceparent == null) {
            return NOTHING;
        }
        List<String> keys = new ArrayList<>(5);
        String traceId = traceparent.substring(3, 35);
        put(keys, TRACE_ID, traceId);
        put(keys, SPAN_ID, spanId(traceId, traceparent.substring(36, 52)));
        put(keys, TRANSACTION_ID, transactionId);
        put(keys, CORRELATION_ID, trace.correlationId());
        put(keys, MESSAGE_ID, messageId);
        return new LogContext(keys);
    }

    /**
     * The current span's id when a span of this trace is current (Tandem's own {@code process} span while a handler runs,
     * with an OpenTelemetry SDK installed), so log lines point at the span they were written in; else the context's.
     */
    private static String spanId(String traceId, String fromContext) {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid() && current.getTraceId().equals(traceId) ? current.getSpanId() : fromContext;
    }

    private static void put(List<String> keys, String key, String value) {
        if (value != null) {
            MDC.put(key, value);
            keys.add(key);
        }
    }

    /** Removes the keys this context put. */
    @Override
    public void close() {
        for (String key : keys) {
            MDC.remove(key);
        }
    }
}
