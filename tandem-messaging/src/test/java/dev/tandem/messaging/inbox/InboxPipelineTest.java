package dev.tandem.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.ClosedException;
import dev.tandem.core.StoreUnavailableException;
import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.CommitResult;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.ReadDirection;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.eventstore.support.CommittedStates;
import dev.tandem.eventstore.support.WriteInFlightException;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.retry.RetryPolicy;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's pipelined delivery: several batches in flight at once, on a real SQLite store. */
@DisplayName("The inbox pipeline")
class InboxPipelineTest {

    private static final InboxOptions FAST = InboxOptions.defaults()
            .withRetry(new RetryPolicy(1_000, Duration.ofMillis(1), Duration.ofMillis(2), 0.5, new Random(7)));

    @TempDir
    Path dir;

    private EventStore store;

    /** The order in which messages took effect (their commits succeeded), by body. */
    private final List<String> applied = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(dir.resolve("pipeline.db"), StoreOptions.defaults());
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static Message message(String key, String body) {
        return new Message(UUID.randomUUID(), "a", "b", key, 1, Instant.parse("2026-01-01T00:00:00Z"), "Apply", "application/json",
                body.getBytes(StandardCharsets.UTF_8), Metadata.EMPTY);
    }

    private static String body(Message m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    /** What a handler does before its effect: nothing, or throw to fail the attempt. */
    @FunctionalInterface
    private interface Before {
        void check(Message m) throws Exception;
    }

    /**
     * Appends the message's body to its key's stream at the exact next version, after {@code before}, and notes it
     * once durable.
     */
    private final class Appending implements CommitAwareHandler {
        private final Before before;

        Appending() {
            this(m -> {});
        }

        Appending(Before before) {
            this.before = before;
        }

        @Override
        public Commit.Builder handle(Message m) throws Exception {
            before.check(m);
            StreamId stream = StreamId.of("key-" + m.partitionKey());
            return Commit.builder().append(stream, ExpectedVersion.exactly(store.streamVersion(stream)),
                    List.of(NewEvent.json("Applied", Map.of("body", body(m)))));
        }

        @Override
        public void committed(Message message, Commit commit) {
            applied.add(body(message));
        }
    }

    private List<String> stored(String key) {
        List<String> bodies = new ArrayList<>();
        for (RecordedEvent e : store.readStream(StreamId.of("key-" + key), 1, ReadDirection.FORWARD, 10_000)) {
            bodies.add(String.valueOf(e.payloadAs(Map.class).get("body")));
        }
        return bodies;
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void appliesEveryKeysMessagesOnceAndInOrderWithManyBatchesInFlight() throws Exception {
        InboxConsumer inbox = new InboxConsumer(store, "b/in", new Appending(), FAST);
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        int keys = 7;
        int perBatch = 40;
        for (int b = 0; b < 25; b++) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                int n = b * perBatch + i;
                batch.add(message("k" + n % keys, "k" + n % keys + ":" + n));
            }
            batches.add(inbox.submit(batch)); // all submitted before the first is handled
        }
        awaitAll(batches);

        for (int k = 0; k < keys; k++) {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < 25 * perBatch; n++) {
                if (n % keys == k) {
                    expected.add("k" + k + ":" + n);
                }
            }
            assertThat(stored("k" + k)).as("key k%d", k).containsExactlyElementsOf(expected);
        }
        assertThat(applied).hasSize(25 * perBatch).doesNotHaveDuplicates();
    }

    /**
     * Appends each message's body to its key's stream with {@link ExpectedVersion#any()} (it reads nothing), and says it
     * writes blind when {@code blind}; counts the messages whose handler ran before the previous message of their key was
     * reported durable, and every handler call in {@link #calls}.
     */
    private final class BlindAppending implements CommitAwareHandler {
        private final boolean blind;
        private final Map<String, String> lastHandled = new ConcurrentHashMap<>();
        private final Set<String> durable = ConcurrentHashMap.newKeySet();
        final AtomicInteger startedBeforeDurable = new AtomicInteger();
        final Semaphore calls = new Semaphore(0);

        BlindAppending(boolean blind) {
            this.blind = blind;
        }

        @Override
        public Commit.Builder handle(Message m) {
            calls.release();
            String previous = lastHandled.put(m.partitionKey(), body(m));
            if (previous != null && !durable.contains(previous)) {
                startedBeforeDurable.incrementAndGet();
            }
            return Commit.builder().append(StreamId.of("key-" + m.partitionKey()), ExpectedVersion.any(),
                    List.of(NewEvent.json("Applied", Map.of("body", body(m)))));
        }

        @Override
        public void committed(Message message, Commit commit) {
            durable.add(body(message));
            applied.add(body(message));
        }

        @Override
        public boolean writesBlind() {
            return blind;
        }
    }

    private List<CompletableFuture<Void>> submitManyBatches(InboxConsumer inbox, int batches, int perBatch, int keys) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                int n = b * perBatch + i;
                batch.add(message("k" + n % keys, "k" + n % keys + ":" + n));
            }
            futures.add(inbox.submit(batch));
        }
        return futures;
    }

    private void assertEveryKeyInOrder(int messages, int keys) {
        for (int k = 0; k < keys; k++) {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < messages; n++) {
                if (n % keys == k) {
                    expected.add("k" + k + ":" + n);
                }
            }
            assertThat(stored("k" + k)).as("key k%d", k).containsExactlyElementsOf(expected);
        }
        assertThat(applied).hasSize(messages).doesNotHaveDuplicates();
    }

    @Test
    void aHandlerThatWritesBlindHasAKeysWaitingMessagesHandledTogetherInOrder() throws Exception {
        BlindAppending handler = new BlindAppending(true);
        AtomicInteger commits = new AtomicInteger();
        InboxConsumer inbox = new InboxConsumer(failingAfterWrite("none", new AtomicBoolean(), commits), "b/in", handler, FAST);

        List<CompletableFuture<Void>> batches = submitManyBatches(inbox, 25, 40, 7);
        awaitAll(batches);

        assertEveryKeyInOrder(25 * 40, 7);
        assertThat(handler.startedBeforeDurable.get()).as("some keys went on before their previous commit was synced").isPositive();
        assertThat(commits.get()).as("messages of one key waiting together were committed together").isLessThan(25 * 40 / 2);
    }

    @Test
    void aHandlerThatWritesBlindStartsAKeysNextMessageOnceThePreviousIsWrittenNotYetDurable() throws Exception {
        HeldDurability sync = new HeldDurability(); // every commit's durable outcome waits for it
        BlindAppending handler = new BlindAppending(true);
        InboxConsumer inbox = new InboxConsumer(committingWith((commit, onWritten) -> sync.hold(storeCommit(commit, onWritten))),
                "b/in", handler, FAST);

        CompletableFuture<Void> first = inbox.submit(List.of(message("k", "k:1")));
        assertThat(handler.calls.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = inbox.submit(List.of(message("k", "k:2"))); // k:1 in flight: k:2 waits behind it, not grouped with it

        assertThat(handler.calls.tryAcquire(30, TimeUnit.SECONDS)).as("k:2 handled while k:1 is written but not durable").isTrue();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        sync.awaitStored(2); // both durable in the store, neither told yet: the pipeline hears of k:1 first, then of k:2
        sync.release();
        awaitAll(List.of(first, second));
        assertThat(stored("k")).containsExactly("k:1", "k:2");
        assertThat(applied).containsExactly("k:1", "k:2");
    }

    /**
     * Durable outcomes held back until {@link #release}, then told one after the other in the order of their commits, as a
     * store tells the commits that one sync made durable. Completing one shared future instead would tell them in
     * reverse: a {@link CompletableFuture} runs its dependents last registered first.
     */
    private static final class HeldDurability {
        private final List<Map.Entry<CompletableFuture<CommitResult>, CompletableFuture<CommitResult>>> held = new ArrayList<>();
        private final Semaphore holds = new Semaphore(0);
        private boolean released;

        synchronized CompletableFuture<CommitResult> hold(CompletableFuture<CommitResult> stored) {
            if (released) {
                return stored;
            }
            CompletableFuture<CommitResult> told = new CompletableFuture<>();
            held.add(Map.entry(stored, told));
            holds.release();
            return told;
        }

        /** Waits until {@code commits} commits are held and the store has completed each of them. */
        void awaitStored(int commits) throws InterruptedException {
            assertThat(holds.tryAcquire(commits, 30, TimeUnit.SECONDS)).as(commits + " commits made").isTrue();
            List<CompletableFuture<CommitResult>> stored;
            synchronized (this) {
                stored = held.stream().map(Map.Entry::getKey).toList();
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
        }

        /** Tells every held outcome, in commit order, each once its store commit has completed; later ones pass through. */
        void release() {
            List<Map.Entry<CompletableFuture<CommitResult>, CompletableFuture<CommitResult>>> toTell;
            synchronized (this) {
                released = true;
                toTell = List.copyOf(held);
                held.clear();
            }
            for (Map.Entry<CompletableFuture<CommitResult>, CompletableFuture<CommitResult>> e : toTell) {
                try {
                    e.getValue().complete(e.getKey().join());
                } catch (CompletionException | CancellationException x) {
                    e.getValue().completeExceptionally(x.getCause() == null ? x : x.getCause());
                }
            }
        }
    }

    /** A commit, with its written-listener (null for a commit made without one), as a test's store makes it. */
    @FunctionalInterface
    private interface CommitWithListener {
        CompletableFuture<CommitResult> commit(Commit commit, Consumer<? super CommitResult> onWritten);
    }

    /** The store, with its commits made by {@code commits}; everything else as the store does. */
    private EventStore committingWith(CommitWithListener commits) {
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("commitAsync")) {
                @SuppressWarnings("unchecked")
                Consumer<? super CommitResult> onWritten = args.length == 2 ? (Consumer<? super CommitResult>) args[1] : null;
                return commits.commit((Commit) args[0], onWritten);
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class}, calls);
    }

    /** Commits to the store, with {@code onWritten} when there is one. */
    private CompletableFuture<CommitResult> storeCommit(Commit commit, Consumer<? super CommitResult> onWritten) {
        return onWritten == null ? store.commitAsync(commit) : store.commitAsync(commit, onWritten);
    }

    /** The store, except that it never tells a written-listener (as a store may not, if it tells nothing before durable). */
    private EventStore neverTellingWritten() {
        return committingWith((commit, onWritten) -> store.commitAsync(commit));
    }

    @Test
    void aHandlerThatWritesBlindOnAStoreThatNeverSaysWrittenHasItsGroupsSettledOnceDurableInOrder() throws Exception {
        BlindAppending handler = new BlindAppending(true);
        InboxConsumer inbox = new InboxConsumer(neverTellingWritten(), "b/in", handler, FAST);

        awaitAll(submitManyBatches(inbox, 25, 40, 7)); // a group settled as durable is first released, then settled

        assertEveryKeyInOrder(25 * 40, 7);
    }

    @Test
    void aGroupWhoseCommitIsRefusedIsHandledOneByOneInOrder() throws Exception {
        BlindAppending handler = new BlindAppending(true);
        InboxConsumer inbox = new InboxConsumer(store, "b/in", handler, FAST.withInboxCheck(InboxCheck.NEVER));
        Message first = message("k", "k:1");
        awaitAll(List.of(inbox.submit(List.of(first))));

        // k:1 again, not looked up first: the merged commit of k:2, k:1 and k:3 is refused for k:1's inbox entry
        awaitAll(List.of(inbox.submit(List.of(message("k", "k:2"), first, message("k", "k:3")))));

        assertThat(stored("k")).containsExactly("k:1", "k:2", "k:3");
        // blind: k:2's and k:3's commits may be made durable by different syncs, whose completions a store may run in either order
        assertThat(applied).containsExactlyInAnyOrder("k:1", "k:2", "k:3");
    }

    @Test
    void aHandlerThatDoesNotWriteBlindTakesAKeysNextMessageOnlyOnceThePreviousIsDurable() throws Exception {
        BlindAppending handler = new BlindAppending(false);
        InboxConsumer inbox = new InboxConsumer(store, "b/in", handler, FAST);

        awaitAll(submitManyBatches(inbox, 25, 40, 7));

        assertEveryKeyInOrder(25 * 40, 7);
        assertThat(handler.startedBeforeDurable.get()).isZero();
    }

    /**
     * The store, except that the commit of the message whose body is {@code failing} is reported failed after it was
     * written (once, while {@code failOnce} is set); counts the commits the inbox makes into {@code commits}.
     */
    private EventStore failingAfterWrite(String failing, AtomicBoolean failOnce, AtomicInteger commits) {
        return committingWith((commit, onWritten) -> {
            commits.incrementAndGet();
            boolean fail = onWritten != null && commit.writes().stream().flatMap(w -> w.events().stream())
                    .anyMatch(e -> new String(e.payload(), StandardCharsets.UTF_8).contains(failing)) && failOnce.compareAndSet(true, false);
            CompletableFuture<CommitResult> f = storeCommit(commit, onWritten);
            return fail ? f.thenCompose(r -> CompletableFuture.failedFuture(new StoreUnavailableException("the sync failed (simulated)", null))) : f;
        });
    }

    @Test
    void aMessageWhoseKeyWentOnWhenItWasWrittenButThatFailedThenBreaksThePipelineAndIsTakenAgainAfterResume() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        BlindAppending handler = new BlindAppending(true);
        InboxConsumer inbox = new InboxConsumer(failingAfterWrite("k:1", failOnce, new AtomicInteger()), "b/in", handler, FAST);
        List<Message> one = List.of(message("k", "k:1"), message("k", "k:2"), message("j", "j:1"));

        assertThatThrownBy(() -> inbox.submit(one).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(failOnce).isFalse();
        assertThatThrownBy(() -> inbox.submit(List.of(message("x", "x:1"))).get(30, TimeUnit.SECONDS))
                .as("refused until resumed").isInstanceOf(ExecutionException.class);

        inbox.resume();
        awaitAll(List.of(inbox.submit(one)));

        assertThat(stored("k")).as("written once each, in order, whatever was written before the failure").containsExactly("k:1", "k:2");
        assertThat(stored("j")).containsExactly("j:1");
        assertThat(stored("x")).isEmpty();
    }

    @Test
    void aKeyWaitingForARetryHoldsOnlyItsOwnLaterMessages() throws Exception {
        // slow:1 fails until fast:2 is committed (not merely handled: its commit could still be queued behind slow:1's retry)
        InboxConsumer inbox = new InboxConsumer(store, "b/in", new Appending(m -> {
            if (body(m).equals("slow:1") && !applied.contains("fast:2")) {
                throw new StoreUnavailableException("not yet: fast:2 goes first", null);
            }
        }), FAST);

        CompletableFuture<Void> first = inbox.submit(List.of(message("slow", "slow:1"), message("fast", "fast:1")));
        CompletableFuture<Void> second = inbox.submit(List.of(message("fast", "fast:2"), message("slow", "slow:2")));
        awaitAll(List.of(first, second));

        assertThat(stored("slow")).containsExactly("slow:1", "slow:2");
        assertThat(stored("fast")).containsExactly("fast:1", "fast:2");
        assertThat(applied.indexOf("fast:2")).as("the later batch's other key went ahead").isLessThan(applied.indexOf("slow:1"));
    }

    @Test
    void failsEveryBatchInFlightWhenDeliveryMustStopAndTakesThemAgainAfterResume() throws Exception {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        InboxConsumer inbox = new InboxConsumer(store, "b/in", new Appending(m -> {
            if (body(m).equals("k:2") && failedOnce.add("k:2")) {
                throw new ClosedException("event store (shutting down)");
            }
        }), FAST);
        List<Message> one = List.of(message("k", "k:1"), message("k", "k:2"));
        List<Message> two = List.of(message("k", "k:3"), message("j", "j:1"));

        CompletableFuture<Void> f1 = inbox.submit(one);
        CompletableFuture<Void> f2 = inbox.submit(two);

        assertThatThrownBy(() -> f1.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> f2.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> inbox.submit(List.of(message("x", "x:1"))).get(30, TimeUnit.SECONDS))
                .as("refused until resumed").isInstanceOf(ExecutionException.class);
        assertThat(stored("k")).as("nothing after the failed message of its key").containsExactly("k:1");

        inbox.resume();
        awaitAll(List.of(inbox.submit(one), inbox.submit(two)));

        assertThat(stored("k")).containsExactly("k:1", "k:2", "k:3");
        assertThat(stored("j")).containsExactly("j:1");
        assertThat(stored("x")).as("the refused batch was not applied").isEmpty();
    }

    /**
     * Appends every message, whatever its key, to one stream at the exact next version, deciding with
     * {@link CommittedStates#currentOrWait}: while the previous append is in flight it is told to wait.
     */
    private final class HotAppender implements CommitAwareHandler {
        final StreamId hot = StreamId.of("hot");
        final CommittedStates<Long> states;
        final AtomicInteger decided = new AtomicInteger();
        final AtomicInteger waited = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        /** Set: another writer appends to the stream once, right after the first decision, so that decision's commit conflicts. */
        private final boolean interfereOnce;
        private final AtomicBoolean interfered = new AtomicBoolean();

        HotAppender() {
            this(Duration.ofSeconds(30), false);
        }

        HotAppender(Duration settleWait, boolean interfereOnce) {
            this.states = new CommittedStates<>(1_000, settleWait);
            this.interfereOnce = interfereOnce;
        }

        @Override
        public Commit.Builder handle(Message m) {
            CommittedStates.Versioned<Long> now;
            try {
                now = states.currentOrWait(store, hot, 0L, 100, (n, e) -> n + 1);
            } catch (WriteInFlightException e) {
                waited.incrementAndGet();
                throw e;
            }
            decided.incrementAndGet();
            if (interfereOnce && interfered.compareAndSet(false, true)) {
                store.append(hot, ExpectedVersion.exactly(now.version()), List.of(NewEvent.json("Other", Map.of())));
            }
            NewEvent event = NewEvent.json("Applied", Map.of("body", body(m)));
            states.expect(hot, event.id(), now.state() + 1, now.version() + 1);
            return Commit.builder().append(hot, ExpectedVersion.exactly(now.version()), List.of(event));
        }

        @Override
        public void committed(Message message, Commit commit) {
            states.committed(commit);
            applied.add(body(message));
        }

        @Override
        public void notCommitted(Message message, Commit attempted) {
            abandoned.incrementAndGet();
            states.abandoned(attempted);
        }

        void assertEveryDecisionCommitted(int messages) {
            assertThat(store.streamVersion(hot)).isEqualTo(messages);
            assertThat(applied).hasSize(messages).doesNotHaveDuplicates();
            assertThat(decided.get()).as("every decision committed: none was refused as a conflict and run again").isEqualTo(messages);
            assertThat(waited.get()).as("the keys raced for the stream").isPositive();
            assertThat(states.get(hot)).isEqualTo(new CommittedStates.Versioned<>((long) messages, (long) messages));
        }
    }

    @Test
    void decidesOnAHotStreamOnceItsWriteInFlightHasSettledInsteadOfConflicting() throws Exception {
        HotAppender handler = new HotAppender();
        InboxConsumer inbox = new InboxConsumer(store, "b/in", handler, FAST);
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(message("k" + (b * 20 + i), "m" + (b * 20 + i)));
            }
            batches.add(inbox.submit(batch));
        }
        awaitAll(batches);

        handler.assertEveryDecisionCommitted(200);
    }

    @Test
    void aBatchRunDecidesAWaitingMessageInItsNextRoundOnceTheRoundsCommitsSettled() throws Exception {
        HotAppender handler = new HotAppender();
        InboxConsumer inbox = new InboxConsumer(store, "b/in", handler, FAST);
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(message("k" + i, "m" + i)); // one round attempts all 30 heads at once: one decides, the others wait
        }

        inbox.onMessages(batch);

        handler.assertEveryDecisionCommitted(30);
    }

    @Test
    void aHandlerWaitingForAWriteThatFailedIsToldAndReadsInsteadOfWaitingOut() throws Exception {
        // another writer appends to the hot stream while the first message's append is decided: that commit conflicts; the
        // inbox tells the handler (notCommitted), so neither its retry nor the others wait out the (ten-minute) settle wait
        HotAppender handler = new HotAppender(Duration.ofMinutes(10), true);
        InboxConsumer inbox = new InboxConsumer(store, "b/in", handler, FAST);
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(message("k" + i, "m" + i));
        }
        awaitAll(List.of(inbox.submit(batch)));

        assertThat(store.streamVersion(handler.hot)).as("20 messages and the other writer's event").isEqualTo(21);
        assertThat(applied).hasSize(20).doesNotHaveDuplicates();
        assertThat(handler.abandoned.get()).as("the conflicting commit was reported").isPositive();
    }
}
