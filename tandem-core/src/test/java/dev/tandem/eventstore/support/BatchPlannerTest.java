package dev.tandem.eventstore.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.InboxEntry;
import dev.tandem.eventstore.InboxRecord;
import dev.tandem.eventstore.Metadata;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.StreamWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Planning a batch must equal planning its commits one after the other: batching never changes semantics. */
class BatchPlannerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<StreamId> STREAMS = List.of(StreamId.of("s-1"), StreamId.of("s-2"), StreamId.of("s-3"));
    private static final List<UUID> MESSAGES = List.of(new UUID(0, 1), new UUID(0, 2));

    /** A tiny table-backed store the planner reads from and the test applies plans to. */
    private static final class Tables implements BatchPlanner.Lookup {
        final Map<StreamId, Long> versions = new HashMap<>();
        final Map<UUID, RecordedEvent> events = new HashMap<>();
        final Map<BatchPlanner.InboxKey, InboxRecord> inbox = new HashMap<>();
        long last;

        @Override
        public Map<StreamId, Long> streamVersions(List<StreamId> ids) {
            Map<StreamId, Long> m = new HashMap<>(versions);
            m.keySet().retainAll(ids);
            return m;
        }

        @Override
        public Map<UUID, RecordedEvent> eventsById(Set<UUID> ids) {
            Map<UUID, RecordedEvent> m = new HashMap<>(events);
            m.keySet().retainAll(ids);
            return m;
        }

        @Override
        public Map<BatchPlanner.InboxKey, InboxRecord> inbox(List<BatchPlanner.InboxKey> keys) {
            Map<BatchPlanner.InboxKey, InboxRecord> m = new HashMap<>(inbox);
            m.keySet().retainAll(keys);
            return m;
        }

        @Override
        public long lastPosition() {
            return last;
        }

        /** Whether a unique key on the event id or on the inbox entry would refuse the plan's rows. */
        boolean refuses(BatchPlanner.Plan plan) {
            Set<UUID> ids = new HashSet<>(events.keySet());
            Set<BatchPlanner.InboxKey> keys = new HashSet<>(inbox.keySet());
            return !plan.events().stream().allMatch(e -> ids.add(e.id()))
                    || !plan.inbox().stream().allMatch(r -> keys.add(new BatchPlanner.InboxKey(r.consumer(), r.messageId())));
        }

        void apply(BatchPlanner.Plan plan) {
            for (RecordedEvent e : plan.events()) {
                events.put(e.id(), e);
                versions.put(e.stream(), e.version());
                last = Math.max(last, e.position());
            }
            plan.inbox().forEach(r -> inbox.put(new BatchPlanner.InboxKey(r.consumer(), r.messageId()), r));
        }
    }

    @Property(tries = 300)
    void aBatchPlansExactlyLikeItsCommitsOneByOne(@ForAll("batches") List<Commit> batch) throws Exception {
        Tables batched = new Tables();
        BatchPlanner.Plan plan = planLikeABackend(batch, batched);
        batched.apply(plan);

        Tables single = new Tables();
        List<String> oneByOne = new ArrayList<>();
        for (Commit c : batch) {
            BatchPlanner.Plan p = BatchPlanner.plan(List.of(c), single, NOW, true);
            single.apply(p);
            oneByOne.add(describe(p.outcomes().getFirst()));
        }

        assertThat(plan.outcomes().stream().map(BatchPlannerTest::describe).toList()).containsExactlyElementsOf(oneByOne);
        assertThat(batched.versions).isEqualTo(single.versions);
        assertThat(batched.events.keySet()).isEqualTo(single.events.keySet());
        assertThat(plan.events()).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
    }

    /**
     * Plans as the SQL backends do: without looking every id and inbox key up, then, when a unique key on the event id or
     * the inbox entry would refuse the plan's rows, again with everything looked up.
     */
    private static BatchPlanner.Plan planLikeABackend(List<Commit> batch, Tables tables) throws Exception {
        BatchPlanner.Plan fast = BatchPlanner.plan(batch, tables, NOW, false);
        return tables.refuses(fast) ? BatchPlanner.plan(batch, tables, NOW, true) : fast;
    }

    @Example
    void aCommitRepeatedInItsBatchIsAnIdempotentRepeatWithoutAReplan() throws Exception {
        NewEvent e = NewEvent.json("Opened", Map.of("n", 1));
        Commit once = Commit.builder().append(STREAMS.get(0), ExpectedVersion.noStream(), List.of(e)).build();
        Tables tables = new Tables();

        BatchPlanner.Plan plan = BatchPlanner.plan(List.of(once, once), tables, NOW, false);

        assertThat(tables.refuses(plan)).isFalse();
        assertThat(plan.outcomes().stream().map(BatchPlannerTest::describe).toList()).containsExactly("ok [s-1:1-1]", "ok [s-1:1-1 repeat]");
        assertThat(plan.events()).hasSize(1);
    }

    @Example
    void aRepeatedInboxEntryInOneBatchIsLeftToTheUniqueKeyThenRefusedOnTheReplan() throws Exception {
        Commit first = Commit.builder().append(STREAMS.get(0), ExpectedVersion.any(), List.of(NewEvent.json("A", Map.of()))).inbox(InboxEntry.of("c", MESSAGES.get(0))).build();
        Commit again = Commit.builder().append(STREAMS.get(1), ExpectedVersion.any(), List.of(NewEvent.json("B", Map.of()))).inbox(InboxEntry.of("c", MESSAGES.get(0))).build();
        Tables tables = new Tables();

        BatchPlanner.Plan fast = BatchPlanner.plan(List.of(first, again), tables, NOW, false);
        BatchPlanner.Plan full = BatchPlanner.plan(List.of(first, again), tables, NOW, true);

        assertThat(tables.refuses(fast)).isTrue(); // the backend's unique key fires: it plans again, looking everything up
        assertThat(full.outcomes().stream().map(BatchPlannerTest::describe).toList())
                .containsExactly("ok [s-1:1-1]", "refused DuplicateMessageException");
        assertThat(tables.refuses(full)).isFalse();
    }

    private static String describe(BatchPlanner.Outcome o) {
        return switch (o) {
            case BatchPlanner.Outcome.Committed c -> "ok " + c.result().appends().stream()
                    .map(a -> a.stream() + ":" + a.firstVersion() + "-" + a.lastVersion() + (a.written() ? "" : " repeat")).toList();
            case BatchPlanner.Outcome.Refused r -> "refused " + r.reason().getClass().getSimpleName();
        };
    }

    @Provide
    Arbitrary<List<Commit>> batches() {
        // A small pool of events so that re-appends (idempotent or conflicting) happen often.
        List<NewEvent> pool = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pool.add(new NewEvent(new UUID(1, i), "E", new byte[] {(byte) i}, "application/octet-stream", Metadata.EMPTY, null));
        }
        Arbitrary<ExpectedVersion> expected = Arbitraries.oneOf(
                Arbitraries.just(ExpectedVersion.any()),
                Arbitraries.just(ExpectedVersion.noStream()),
                Arbitraries.longs().between(0, 4).map(ExpectedVersion::exactly));
        Arbitrary<List<NewEvent>> events = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 5).map(i -> List.of(pool.get(i))),
                Arbitraries.integers().between(1, 3).map(n -> {
                    List<NewEvent> fresh = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        fresh.add(NewEvent.json("Fresh", Map.of("i", i)));
                    }
                    return fresh;
                }));
        // A second write in some commits: when it is refused, what the first one staged must not stay in the plan.
        Arbitrary<StreamWrite> write = Combinators.combine(Arbitraries.of(STREAMS), expected, events).as(StreamWrite::new);
        Arbitrary<Commit> commit = Combinators.combine(write, write.injectNull(0.6), Arbitraries.of(MESSAGES).injectNull(0.5))
                .as((first, second, message) -> {
                    Commit.Builder b = Commit.builder().append(first.stream(), first.expected(), first.events());
                    if (second != null && !second.stream().equals(first.stream())
                            && second.events().stream().noneMatch(e -> first.events().stream().anyMatch(f -> f.id().equals(e.id())))) {
                        b.append(second.stream(), second.expected(), second.events());
                    }
                    if (message != null) {
                        b.inbox(InboxEntry.of("consumer", message));
                    }
                    return b.build();
                });
        return commit.list().ofMinSize(1).ofMaxSize(12);
    }
}
