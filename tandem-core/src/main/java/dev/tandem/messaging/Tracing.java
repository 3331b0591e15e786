package dev.tandem.messaging;

import dev.tandem.core.InvalidInputException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.Map;

/**
 * Tandem's spans, through the OpenTelemetry API: an application that installs an OpenTelemetry SDK (or runs the
 * OpenTelemetry Java agent, or passes one to {@link #use}) sees them; otherwise they cost next to nothing. Only traced
 * work records spans, as only traced work puts a trace in the logs ({@link LogContext}):
 * <ul>
 *   <li>{@code process <destination>} (kind CONSUMER): an inbox handling a message that carries a W3C
 *       {@code traceparent}, a child of that context, current while the handler runs (so spans the handler's own code
 *       starts are its children);</li>
 *   <li>{@code transaction <definition>} (kind INTERNAL): a traced transaction, from its start to the decision that
 *       settled it (COMMITTED, COMPENSATED or STUCK), recorded when that decision is durable; a child of the context
 *       the transaction was started with. It survives restarts: the instance that settles it records it, with the
 *       start time the stream holds.</li>
 * </ul>
 * Every message of a transaction carries the context it was started with, so these spans are siblings under the
 * starter's span. Attributes follow OpenTelemetry's messaging conventions where they apply
 * ({@code messaging.system} {@value #SYSTEM}, {@code messaging.destination.name}, {@code messaging.message.id},
 * {@code messaging.consumer.group.name}), plus {@code tandem.transaction.id} and friends.
 */
public final class Tracing {

    /** The instrumentation scope name of Tandem's tracer. */
    public static final String SCOPE = "dev.tandem";
    /** The {@code messaging.system} attribute's value. */
    public static final String SYSTEM = "tandem";

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("tandem.message.type");
    public static final AttributeKey<String> TRANSACTION_ID = AttributeKey.stringKey("tandem.transaction.id");
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("tandem.correlation.id");
    public static final AttributeKey<String> DEFINITION = AttributeKey.stringKey("tandem.transaction.definition");
    public static final AttributeKey<Long> DEFINITION_VERSION = AttributeKey.longKey("tandem.transaction.definition.version");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("tandem.transaction.status");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("tandem.transaction.reason");

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static volatile OpenTelemetry chosen; // null: the global one, if an application or agent set it

    private Tracing() {}

    /** Records Tandem's spans through {@code openTelemetry} instead of the global instance ({@link GlobalOpenTelemetry}). */
    public static void use(OpenTelemetry openTelemetry) {
        chosen = InvalidInputException.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Records Tandem's spans through the global instance again (the default; a no-op until something sets it). */
    public static void useGlobal() {
        chosen = null;
    }

    private static Tracer tracer() {
        OpenTelemetry o = chosen;
        // getOrNoop: asking must not fix the global instance before the application sets its own
        return (o != null ? o : GlobalOpenTelemetry.getOrNoop()).getTracer(SCOPE);
    }

    /** The context {@code trace} names, under {@link Context#root()}: its W3C {@code traceparent} and {@code tracestate}. */
    private static Context parentOf(String traceparent, String tracestate) {
        Map<String, String> carrier = tracestate == null ? Map.of(Message.TRACEPARENT, traceparent)
                : Map.of(Message.TRACEPARENT, traceparent, TraceContext.TRACESTATE, tracestate);
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, HEADERS);
    }

    /** A span of work on a traced message or transaction, current on this thread until closed; {@link #NONE} for untraced work. */
    public static final class Active implements AutoCloseable {

        static final Active NONE = new Active(null, null);

        private final Span span;
        private final Scope scope;

        private Active(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** Marks the span failed with {@code failure} (recorded as an exception event). */
        public void failed(Throwable failure) {
            if (span != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            }
        }

        /** Ends the span and makes the context before it current again. */
        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }

    /**
     * Starts the span of {@code consumer} handling {@code message} from {@code destination}, current on this thread;
     * nothing when the message carries no {@code traceparent}.
     */
    public static Active process(Message message, String consumer) {
        String traceparent = message.traceparent();
        if (traceparent == null) {
            return Active.NONE;
        }
        Context parent = parentOf(traceparent, message.headers().headers().get(TraceContext.TRACESTATE));
        SpanBuilder b = tracer().spanBuilder("process " + message.destination())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, SYSTEM)
                .setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, message.destination())
                .setAttribute(MESSAGE_ID, message.id().toString())
                .setAttribute(CONSUMER_GROUP, consumer)
                .setAttribute(MESSAGE_TYPE, message.type());
        String transaction = message.headers().transactionId();
        if (transaction != null) {
            b.setAttribute(TRANSACTION_ID, transaction);
        }
        String correlation = message.headers().correlationId();
        if (correlation != null) {
            b.setAttribute(CORRELATION_ID, correlation);
        }
        Span span = b.startSpan();
        return new Active(span, span.makeCurrent());
    }

    /** What a settled transaction's span says: its identity, definition, outcome and times. */
    public record Settled(String transactionId, TraceContext trace, String definition, int definitionVersion, String status,
            String reason, Instant startedAt, Instant settledAt) {}

    /** Records the span of a traced transaction once its settling decision is durable; nothing for an untraced one. */
    public static void settled(Settled t) {
        if (t.trace().traceparent() == null) {
            return;
        }
        SpanBuilder b = tracer().spanBuilder("transaction " + t.definition())
                .setParent(parentOf(t.trace().traceparent(), t.trace().tracestate()))
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(t.startedAt())
                .setAttribute(TRANSACTION_ID, t.transactionId())
                .setAttribute(DEFINITION, t.definition())
                .setAttribute(DEFINITION_VERSION, (long) t.definitionVersion())
                .setAttribute(STATUS, t.status());
        if (t.trace().correlationId() != null) {
            b.setAttribute(CORRELATION_ID, t.trace().correlationId());
        }
        if (t.reason() != null) {
            b.setAttribute(REASON, t.reason());
        }
        Span span = b.startSpan();
        if (t.status().equals("STUCK")) { // waits for an operator: the one outcome that is an error
            span.setStatus(StatusCode.ERROR, t.status() + (t.reason() == null ? "" : ": " + t.reason()));
        }
        span.end(t.settledAt());
    }
}
