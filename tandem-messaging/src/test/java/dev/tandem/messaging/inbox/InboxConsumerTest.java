package dev.tandem.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.NonTransientException;
import dev.tandem.core.OwnedElsewhereException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import dev.tandem.messaging.LogContext;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.ScriptedTransport;
import dev.tandem.messaging.TraceContext;
import dev.tandem.messaging.Tracing;
import dev.tandem.messaging.UnknownMessageTypeException;
import dev.tandem.messaging.deadletter.DeadLetter;
import dev.tandem.messaging.deadletter.DeadLetterReason;
import dev.tandem.messaging.retry.RetryPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("The inbox consumer")
class InboxConsumerTest {

    private static final InboxOptions FAST = InboxOptions.defaults()
            .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(4), 0.5, new Random(3)));
    private static final StreamId COUNTER = StreamId.of("counter");

    private final EventStore store = new InMemoryEventStore();

    private static Message message(String key, String type, String body) {
        return new Message(UUID.randomUUID(), "a", "b", key, 1, Instant.parse("2026-01-01T00:00:00Z"), type, "application/json",
                body.getBytes(StandardCharsets.UTF_8), Metadata.EMPTY);
    }

    /** Appends "Counted" at the counter's exact next version, like an aggregate with optimistic locking. */
    private MessageHandler counting(AtomicInteger calls) {
        return m -> {
            calls.incrementAndGet();
            long version = store.streamVersion(COUNTER);
            return Commit.builder().append(COUNTER, ExpectedVersion.exactly(version), List.of(NewEvent.json("Counted", Map.of("id", m.id()))));
        };
    }

    private long counted() {
        return store.streamVersion(COUNTER);
    }

    @Nested
    @DisplayName("records a span of each traced message it handles")
    class Spans {

        final InMemorySpanExporter spans = InMemorySpanExporter.create();
        final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();

        @BeforeEach
        void install() {
            Tracing.use(sdk);
        }

        @AfterEach
        void uninstall() {
            Tracing.useGlobal();
            sdk.close();
        }

        Message traced(String type) {
            return new Message(UUID.randomUUID(), "a", "bank-b", "k", 1, Instant.parse("2026-01-01T00:00:00Z"), type, "application/json",
                    new byte[0], new TraceContext("order-7", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=x").metadata("tx-1", "cmd-1"));
        }

        @Test
        void aTracedMessageIsHandledInAConsumerSpanUnderItsContextThatTheHandlerSeesAsCurrent() throws Exception {
            AtomicReference<SpanContext> current = new AtomicReference<>();
            AtomicReference<String> logged = new AtomicReference<>();
            InboxConsumer subject = new InboxConsumer(store, "bank-b/in", m -> {
                current.set(Span.current().getSpanContext());
                logged.set(MDC.get(LogContext.SPAN_ID));
                return Commit.builder();
            }, FAST);
            Message message = traced("Credit");

            subject.onMessages(List.of(message));

            assertThat(spans.getFinishedSpanItems()).hasSize(1);
            SpanData span = spans.getFinishedSpanItems().getFirst();
            assertThat(span.getName()).isEqualTo("process bank-b");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
            assertThat(current.get()).as("current while the handler runs").isEqualTo(span.getSpanContext());
            assertThat(logged.get()).as("the log lines written meanwhile name it").isEqualTo(span.getSpanId());
            assertThat(Span.current().getSpanContext().isValid()).as("and not after").isFalse();
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("tandem");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo("bank-b");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(message.id().toString());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo("bank-b/in");
            assertThat(span.getAttributes().get(Tracing.TRANSACTION_ID)).isEqualTo("tx-1");
            assertThat(span.getAttributes().get(Tracing.CORRELATION_ID)).isEqualTo("order-7");
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }

        @Test
        void aFailingHandlersSpanIsMarkedFailedWithTheExceptionAndAnUntracedMessageHasNone() throws Exception {
            InboxConsumer subject = new InboxConsumer(store, "bank-b/in", m -> {
                if (m.type().equals("Poison")) {
                    throw new NonTransientException("cannot handle " + m.id());
                }
                return Commit.builder();
            }, FAST);

            subject.onMessages(List.of(traced("Poison"), message("k2", "T", "{}")));

            assertThat(spans.getFinishedSpanItems()).as("the untraced message records none").hasSize(1);
            SpanData span = spans.getFinishedSpanItems().getFirst();
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
            assertThat(subject.parkedCount()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("logs in the message's trace")
    class Logging {

        @Test
        void aTracedMessagesHandlerRunsWithItsTraceInTheLoggingContextAndNothingIsLeftAfter() throws Exception {
            AtomicReference<Map<String, String>> seen = new AtomicReference<>();
            InboxConsumer subject = new InboxConsumer(store, "b/in", m -> {
                seen.set(MDC.getCopyOfContextMap());
                return Commit.builder();
            }, FAST);
            Message traced = new Message(UUID.randomUUID(), "a", "b", "k", 1, Instant.parse("2026-01-01T00:00:00Z"), "T", "application/json",
                    new byte[0], TraceContext.ofTrace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null).metadata("tx-1", "cmd-1"));

            subject.onMessages(List.of(traced));

            assertThat(seen.get()).containsEntry(LogContext.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736")
                    .containsEntry(LogContext.SPAN_ID, "00f067aa0ba902b7")
                    .containsEntry(LogContext.TRANSACTION_ID, "tx-1")
                    .containsEntry(LogContext.CORRELATION_ID, "tx-1")
                    .containsEntry(LogContext.MESSAGE_ID, traced.id().toString());
            assertThat(MDC.get(LogContext.TRACE_ID)).isNull();

            subject.onMessages(List.of(message("k", "T", "{}")));

            assertThat(seen.get() == null || !seen.get().containsKey(LogContext.TRACE_ID)).as("an untraced message adds nothing").isTrue();
        }

        @Test
        void aTransactionsContextIsPutAndRemovedAroundWorkForIt() {
            TraceContext trace = new TraceContext("order-7", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
            LogContext context = LogContext.of(trace, "tx-2");
            try {
                assertThat(MDC.getCopyOfContextMap()).containsEntry(LogContext.TRACE_ID, "0af7651916cd43dd8448eb211c80319c")
                        .containsEntry(LogContext.SPAN_ID, "b7ad6b7169203331").containsEntry(LogContext.TRANSACTION_ID, "tx-2")
                        .containsEntry(LogContext.CORRELATION_ID, "order-7").doesNotContainKey(LogContext.MESSAGE_ID);
            } finally {
                context.close();
            }
            assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
            LogContext none = LogContext.of(TraceContext.NONE, "tx-3");
            assertThat(MDC.get(LogContext.TRANSACTION_ID)).as("no trace, no context").isNull();
            none.close();
        }
    }

    @Nested
    @DisplayName("handles each message once")
    class Once {

        @Test
        void recordsTheMessageAtomicallyWithItsEffects() throws Exception {
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(new AtomicInteger()), FAST);
            Message m = message("k", "Count", "{}");

            subject.onMessages(List.of(m));

            assertThat(counted()).isEqualTo(1);
            assertThat(subject.handled(m.id())).isTrue();
        }

        @Test
        void skipsARedeliveredMessageWithoutRunningTheHandler() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST);
            Message m = message("k", "Count", "{}");

            subject.onMessages(List.of(m, m));
            subject.onMessages(List.of(m));

            assertThat(counted()).isEqualTo(1);
            assertThat(calls).hasValue(1);
        }

        @Test
        void runsTheHandlerOnlyForTheNewMessagesOfAPartlyRedeliveredBatch() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST);
            Message first = message("k1", "Count", "{}");
            Message second = message("k2", "Count", "{}");
            subject.onMessages(List.of(first, second));
            Message third = message("k1", "Count", "{}");

            subject.onMessages(List.of(second, third, first, third));

            assertThat(counted()).isEqualTo(3);
            assertThat(calls).as("the handler runs once per new message").hasValue(3);
            assertThat(subject.handled(third.id())).isTrue();
        }

        @Test
        void keepsAHandlersGuardWhenItWritesNothingElse() throws Exception {
            StreamId guarded = StreamId.of("guarded");
            InboxConsumer subject = new InboxConsumer(store, "b/in", m -> Commit.builder().guard(guarded, ExpectedVersion.exactly(0)), FAST);
            Message whileNew = message("k1", "Look", "{}");
            subject.onMessages(List.of(whileNew));
            store.append(guarded, ExpectedVersion.any(), List.of(NewEvent.json("Moved", java.util.Map.of())));
            Message afterItMoved = message("k2", "Look", "{}");

            subject.onMessages(List.of(afterItMoved));

            assertThat(subject.handled(whileNew.id())).isTrue();
            assertThat(subject.deadLetters().find(whileNew.id())).isEmpty();
            assertThat(subject.deadLetters().find(afterItMoved.id())).as("the guard refused every attempt")
                    .map(DeadLetter::reason).contains(DeadLetterReason.OUT_OF_ATTEMPTS);
        }

        @Test
        void refusesARedeliveryAtCommitWhenItDoesNotLookFirst() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST.withInboxCheck(InboxCheck.NEVER));
            Message m = message("k", "Count", "{}");

            subject.onMessages(List.of(m));
            subject.onMessages(List.of(m));

            assertThat(counted()).isEqualTo(1);
            assertThat(calls).hasValue(2);
        }

        @Test
        void adaptiveCheckStopsLookingFirstAfterCleanBatchesAndLooksAgainOnceACommitMeetsADuplicate() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST.withInboxCheck(InboxCheck.ADAPTIVE));
            Message first = message("k", "Count", "{}");
            subject.onMessages(List.of(first));
            subject.onMessages(List.of(first));
            assertThat(calls).as("while it looks first, a redelivery does not reach the handler").hasValue(1);

            for (int i = 0; i < InboxCheck.CLEAN_BATCHES; i++) {
                subject.onMessages(List.of(message("k", "Count", "{}")));
            }
            int handled = calls.get();
            subject.onMessages(List.of(first));
            assertThat(calls).as("after clean batches it no longer looks first: the handler runs").hasValue(handled + 1);
            subject.onMessages(List.of(first));
            assertThat(calls).as("the refused commit made it look first again").hasValue(handled + 1);

            assertThat(counted()).as("every message applied once").isEqualTo(1 + InboxCheck.CLEAN_BATCHES);
            assertThat(subject.handled(first.id())).isTrue();
        }

        @Test
        void adaptiveCheckAppliesOncePipelinedRedeliveriesAfterItStoppedLookingFirst() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST.withInboxCheck(InboxCheck.ADAPTIVE));
            List<Message> sent = new java.util.ArrayList<>();
            for (int i = 0; i < InboxCheck.CLEAN_BATCHES + 8; i++) {
                sent.add(message("k" + (i % 3), "Count", "{}"));
                subject.submit(List.of(sent.getLast())).get();
            }

            List<java.util.concurrent.CompletableFuture<Void>> again = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) { // the whole history redelivered, four batches in flight at once
                again.add(subject.submit(sent));
            }
            for (var f : again) {
                f.get();
            }

            assertThat(counted()).as("each message applied once").isEqualTo(sent.size());
            assertThat(subject.deadLetters().list()).isEmpty();
        }

        @Test
        void reRunsTheHandlerOnFreshStateAfterAVersionConflict() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            MessageHandler racing = m -> {
                long version = store.streamVersion(COUNTER);
                if (calls.incrementAndGet() == 1) { // a concurrent writer gets in first
                    store.append(COUNTER, ExpectedVersion.any(), List.of(NewEvent.json("Other", Map.of())));
                }
                return Commit.builder().append(COUNTER, ExpectedVersion.exactly(version), List.of(NewEvent.json("Counted", Map.of())));
            };
            InboxConsumer subject = new InboxConsumer(store, "b/in", racing, FAST);

            subject.onMessages(List.of(message("k", "Count", "{}")));

            assertThat(calls).hasValue(2);
            assertThat(store.readStream(COUNTER, 1, ReadDirection.FORWARD, 10)).extracting(e -> e.type()).containsExactly("Other", "Counted");
        }

        @Test
        void keepsAKeysOrderWhileItsHeadIsRetriedAndLetsOtherKeysPass() throws Exception {
            List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger failuresLeft = new AtomicInteger(2);
            MessageHandler flakyFirst = m -> {
                String label = m.partitionKey() + ":" + new String(m.payload(), StandardCharsets.UTF_8);
                if (label.equals("x:1") && failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("blip");
                }
                applied.add(label);
                return Commit.builder();
            };
            InboxConsumer subject = new InboxConsumer(store, "b/in", flakyFirst, FAST);

            subject.onMessages(List.of(message("x", "T", "1"), message("x", "T", "2"), message("y", "T", "1"), message("y", "T", "2")));

            assertThat(applied).containsExactly("y:1", "y:2", "x:1", "x:2");
        }

        @Test
        void handlesMessagesOfOneKeyInOrderAndInterleavesKeys() throws Exception {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            MessageHandler recording = m -> {
                seen.add(m.partitionKey() + ":" + new String(m.payload(), StandardCharsets.UTF_8));
                return Commit.builder();
            };
            InboxConsumer subject = new InboxConsumer(store, "b/in", recording, FAST);

            subject.onMessages(List.of(message("x", "T", "1"), message("x", "T", "2"), message("y", "T", "1"), message("x", "T", "3")));

            assertThat(seen).containsExactly("x:1", "y:1", "x:2", "x:3");
        }
    }

    @Nested
    @DisplayName("answers a duplicate with the first reply")
    class Replies {

        @Test
        void reSendsTheRepliesTheFirstHandlingCommitted() throws Exception {
            ScriptedTransport transport = ScriptedTransport.accepting();
            MessageHandler replying = m -> Commit.builder().append(StreamId.of("tx-" + m.id()), ExpectedVersion.noStream(), List.of(
                    NewEvent.json("Debited", Map.of()),
                    NewEvent.json("DebitDone", Map.of("ok", true)).withRoute(Route.to(m.source(), m.partitionKey()))));
            InboxConsumer subject = new InboxConsumer(store, "b/in", replying, FAST.withReplies(transport, "b"));
            Message request = message("k", "Debit", "{}");

            subject.onMessages(List.of(request));
            assertThat(transport.published()).isEmpty();
            subject.onMessages(List.of(request));

            var reply = store.readStream(StreamId.of("tx-" + request.id()), 2, ReadDirection.FORWARD, 1).getFirst();
            assertThat(transport.published()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(reply.id());
                assertThat(m.type()).isEqualTo("DebitDone");
                assertThat(m.destination()).isEqualTo("a");
                assertThat(m.source()).isEqualTo("b");
                assertThat(m.sequence()).isEqualTo(reply.position());
            });
        }

        @Test
        void doesNotWaitForTheResentReplySoAReplyToItsOwnDestinationCannotDeadlock() throws Exception {
            try (var transport = new dev.tandem.messaging.inprocess.InProcessTransport()) {
                MessageHandler replyToSelf = m -> m.type().equals("Reply") ? Commit.builder()
                        : Commit.builder().append(StreamId.of("self-" + m.id()), ExpectedVersion.noStream(),
                                List.of(NewEvent.json("Reply", Map.of()).withRoute(Route.to("b", "k"))));
                InboxConsumer subject = new InboxConsumer(store, "b/in", replyToSelf, FAST.withReplies(transport, "b"));
                transport.consume("b", "b", subject);
                Message request = message("k", "Ask", "{}");

                assertThat(transport.publish(List.of(request))).succeedsWithin(Duration.ofSeconds(10));
                assertThat(transport.publish(List.of(request))).succeedsWithin(Duration.ofSeconds(10));

                var reply = store.readStream(StreamId.of("self-" + request.id()), 1, ReadDirection.FORWARD, 1).getFirst();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subject.handled(reply.id()));
            }
        }
    }

    @Nested
    @DisplayName("leaves a handler that de-duplicates by itself")
    class SelfDeduplicating {

        private final AtomicInteger calls = new AtomicInteger();

        /**
         * Records each message once in a stream of its own, appended at exactly version 0: a redelivery finds the stream
         * and writes nothing, as the participant's barrier answers a repeated command from what it recorded.
         */
        private final MessageHandler onePerMessage = new MessageHandler() {
            @Override
            public Commit.Builder handle(Message m) {
                calls.incrementAndGet();
                if (timesApplied(m) > 0) {
                    return Commit.builder();
                }
                return Commit.builder().append(appliedStream(m), ExpectedVersion.exactly(0), List.of(NewEvent.json("Applied", Map.of())));
            }

            @Override
            public boolean deduplicates(Message m) {
                return m.type().equals("Apply");
            }
        };

        private final InboxConsumer subject = new InboxConsumer(store, "b/in", onePerMessage, FAST);

        private static StreamId appliedStream(Message m) {
            return StreamId.of("applied-" + m.id());
        }

        private long timesApplied(Message m) {
            return store.streamVersion(appliedStream(m));
        }

        @Test
        void recordsNoMessageWhoseHandlingWritesEvents() throws Exception {
            Message m = message("k", "Apply", "{}");

            subject.onMessages(List.of(m));

            assertThat(timesApplied(m)).isEqualTo(1);
            assertThat(subject.handled(m.id())).as("no inbox record").isFalse();
        }

        @Test
        void handsItARedeliveryWhichItsOwnStateMakesHarmless() throws Exception {
            Message m = message("k", "Apply", "{}");

            subject.onMessages(List.of(m));
            subject.onMessages(List.of(m));

            assertThat(calls).as("the handler saw the redelivery").hasValue(2);
            assertThat(timesApplied(m)).as("applied once").isEqualTo(1);
            assertThat(subject.handled(m.id())).as("a handling that writes nothing is recorded, as any other").isTrue();
        }

        @Test
        void recordsTheMessagesTheHandlerDoesNotDeduplicate() throws Exception {
            Message other = message("k", "Other", "{}");

            subject.onMessages(List.of(other));

            assertThat(subject.handled(other.id())).isTrue();
        }

        @Test
        void recordsAMessageItParks() throws Exception {
            MessageHandler refusing = new MessageHandler() {
                @Override
                public Commit.Builder handle(Message m) {
                    throw new NonTransientException("never");
                }

                @Override
                public boolean deduplicates(Message m) {
                    return true;
                }
            };
            InboxConsumer parking = new InboxConsumer(store, "b/in", refusing, FAST);
            Message m = message("k", "Apply", "{}");

            parking.onMessages(List.of(m));

            assertThat(parking.handled(m.id())).isTrue();
            assertThat(parking.deadLetters().find(m.id())).map(DeadLetter::reason).contains(DeadLetterReason.REJECTED);
        }
    }

    @Nested
    @DisplayName("parks poison messages")
    class Poison {

        private DeadLetter parkedAfter(MessageHandler handler, Message m) throws Exception {
            InboxConsumer subject = new InboxConsumer(store, "b/in", handler, FAST);
            subject.onMessages(List.of(m));
            assertThat(subject.handled(m.id())).isTrue();
            return subject.deadLetters().find(m.id()).orElseThrow();
        }

        @Test
        void neverParksNorRecordsAMessageOwnedByAnotherInstanceButHandsTheDeliveryBack() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", m -> {
                calls.incrementAndGet();
                throw new OwnedElsewhereException("another instance drives " + m.partitionKey());
            }, FAST);
            Message m = message("k", "Reply", "{}");

            assertThatThrownBy(() -> subject.onMessages(List.of(m))).as("the transport delivers it again")
                    .isInstanceOf(OwnedElsewhereException.class);

            assertThat(calls).as("not retried in place").hasValue(1);
            assertThat(subject.handled(m.id())).as("no inbox record: the owner handles it").isFalse();
            assertThat(subject.deadLetters().find(m.id())).isEmpty();
            assertThat(subject.parkedCount()).isZero();
        }

        @Test
        void parksAnUnknownType() throws Exception {
            DeadLetter l = parkedAfter(m -> { throw new UnknownMessageTypeException(m.type(), "b/in"); }, message("k", "Mystery", "{}"));
            assertThat(l.reason()).isEqualTo(DeadLetterReason.UNKNOWN_TYPE);
            assertThat(l.attempts()).isEqualTo(1);
        }

        @Test
        void parksAnUndecodablePayload() throws Exception {
            record Debit(long amount) {}
            DeadLetter l = parkedAfter(m -> {
                m.payloadAs(Debit.class);
                return Commit.builder();
            }, message("k", "Debit", "{not json"));
            assertThat(l.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(l.lastError()).contains("not a valid Debit");
        }

        @Test
        void parksANonTransientRefusal() throws Exception {
            DeadLetter l = parkedAfter(m -> { throw new NonTransientException("account closed"); }, message("k", "Debit", "{}"));
            assertThat(l.reason()).isEqualTo(DeadLetterReason.REJECTED);
            assertThat(l.lastError()).contains("account closed");
        }

        @Test
        void parksAMessageWhoseHandlerOverflowsTheStack() throws Exception {
            DeadLetter l = parkedAfter(m -> { throw new StackOverflowError("recursion"); }, message("k", "Deep", "{}"));
            assertThat(l.reason()).isEqualTo(DeadLetterReason.REJECTED);
            assertThat(l.lastError()).contains("StackOverflowError");
        }

        @Test
        void parksAMessageThatKeepsFailingAfterAllAttempts() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            DeadLetter l = parkedAfter(m -> {
                calls.incrementAndGet();
                throw new IllegalStateException("still down");
            }, message("k", "Debit", "{}"));
            assertThat(l.reason()).isEqualTo(DeadLetterReason.OUT_OF_ATTEMPTS);
            assertThat(l.attempts()).isEqualTo(3);
            assertThat(calls).hasValue(3);
            assertThat(l.lastError()).contains("still down");
        }

        @Test
        void parksAMessageOverTheSizeLimitWithoutRunningTheHandler() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            InboxConsumer subject = new InboxConsumer(store, "b/in", counting(calls), FAST.withMaxMessageBytes(10));
            Message m = message("k", "Count", "{\"much\":\"too long\"}");

            subject.onMessages(List.of(m));

            assertThat(calls).hasValue(0);
            assertThat(subject.deadLetters().find(m.id())).map(DeadLetter::reason).contains(DeadLetterReason.TOO_LARGE);
        }

        @Test
        void succeedsWhenATransientFailureClearsBeforeTheAttemptsRunOut() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            MessageHandler flaky = m -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("blip");
                }
                return counting(new AtomicInteger()).handle(m);
            };
            InboxConsumer subject = new InboxConsumer(store, "b/in", flaky, FAST);

            subject.onMessages(List.of(message("k", "Count", "{}")));

            assertThat(counted()).isEqualTo(1);
            assertThat(subject.deadLetters().list()).isEmpty();
        }

        @Test
        void doesNotParkARedeliveredParkedMessageTwice() throws Exception {
            InboxConsumer subject = new InboxConsumer(store, "b/in", m -> { throw new NonTransientException("no"); }, FAST);
            Message m = message("k", "X", "{}");

            subject.onMessages(List.of(m));
            subject.onMessages(List.of(m));

            assertThat(store.streamVersion(subject.deadLetters().stream())).isEqualTo(1);
        }

        @Test
        void replaysAParkedMessageOnceAndRecordsIt() throws Exception {
            AtomicReference<Boolean> fixed = new AtomicReference<>(false);
            AtomicInteger calls = new AtomicInteger();
            MessageHandler handler = m -> {
                if (!fixed.get()) {
                    throw new NonTransientException("not yet");
                }
                return counting(calls).handle(m);
            };
            InboxConsumer subject = new InboxConsumer(store, "b/in", handler, FAST);
            Message m = message("k", "X", "{}");
            subject.onMessages(List.of(m));

            fixed.set(true);
            subject.replay(m.id());
            subject.onMessages(List.of(m));

            assertThat(counted()).isEqualTo(1);
            assertThat(subject.deadLetters().list()).isEmpty();
            assertThat(store.readStream(subject.deadLetters().stream(), 1, ReadDirection.FORWARD, 10))
                    .extracting(e -> e.type()).containsExactly("MessageParked", "DeadLetterReplayed");
        }
    }

    @Nested
    @DisplayName("forgets old de-duplication records")
    class Purging {

        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        private final InstantSource clock = () -> now.get();
        private final EventStore timed = new InMemoryEventStore(StoreOptions.defaults().withClock(clock));

        @Test
        void purgesRecordsOlderThanTheWindowOnly() throws Exception {
            InboxConsumer subject = new InboxConsumer(timed, "b/in", m -> Commit.builder(), FAST);
            Message old = message("k", "T", "{}");
            subject.onMessages(List.of(old));
            now.set(now.get().plus(Duration.ofHours(2)));
            Message fresh = message("k", "T", "{}");
            subject.onMessages(List.of(fresh));

            try (InboxPurger purger = new InboxPurger(timed, clock, Duration.ofHours(1))) {
                assertThat(purger.purgeNow()).isEqualTo(1);
            }

            assertThat(subject.handled(old.id())).isFalse();
            assertThat(subject.handled(fresh.id())).isTrue();
        }

        @Test
        void purgesOnItsOwnNamedThreadOnSchedule() throws Exception {
            InboxConsumer subject = new InboxConsumer(timed, "b/in", m -> Commit.builder(), FAST);
            Message old = message("k", "T", "{}");
            subject.onMessages(List.of(old));
            now.set(now.get().plus(Duration.ofDays(8)));
            AtomicReference<String> thread = new AtomicReference<>();
            InstantSource spying = () -> {
                thread.set(Thread.currentThread().getName());
                return now.get();
            };

            InboxPurger purger = new InboxPurger(timed, spying, Duration.ofDays(7)).start(Duration.ofMillis(5));
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !subject.handled(old.id()));
            } finally {
                purger.close();
            }
            assertThat(thread.get()).startsWith("tandem-inbox-purge-");
        }
    }
}
