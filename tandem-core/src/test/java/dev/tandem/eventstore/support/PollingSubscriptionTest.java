package dev.tandem.eventstore.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.eventstore.AppendResult;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.RecordedEvent;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.memory.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A polling subscription with a tail reader")
class PollingSubscriptionTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final AppendSignal signal = new AppendSignal();
    private final List<RecordedEvent> seen = new CopyOnWriteArrayList<>();

    private AppendResult appendTwo() {
        return store.append(StreamId.of("s", 1), ExpectedVersion.any(), List.of(NewEvent.json("E", Map.of()), NewEvent.json("E", Map.of())));
    }

    @Test
    void readsTheWholeLogAtLeastOncePerIdlePollWhileWokenWithoutPause() throws Exception {
        AtomicInteger tailReads = new AtomicInteger();
        PollingSubscription.TailReader blind = (after, limit) -> { // another writer's events: its own tail never has them
            tailReads.incrementAndGet();
            return List.of();
        };
        Thread waker = Thread.ofPlatform().daemon(true).start(() -> { // its own writer, committing all the time
            while (!Thread.currentThread().isInterrupted()) {
                signal.signal();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        });
        try (PollingSubscription subject = new PollingSubscription(store, SubscriptionRequest.fromPosition("s", 0), seen::addAll, signal,
                Duration.ofMillis(50), blind).start()) {
            AppendResult appended = appendTwo();

            assertThat(subject.awaitPosition(appended.lastPosition(), Duration.ofSeconds(20))).isTrue();
            // the events may have come with the first whole-log read, before any wake-up was taken
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tailReads).as("woken reads go through the tail reader").hasPositiveValue());
        } finally {
            waker.interrupt();
        }
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(1L, 2L);
    }

    @Test
    void deliversWhatTheTailReaderAnswers() throws Exception {
        AppendResult appended = appendTwo();
        AtomicInteger tailReads = new AtomicInteger();
        PollingSubscription.TailReader own = (after, limit) -> {
            tailReads.incrementAndGet();
            return store.readAll(after, limit);
        };
        try (PollingSubscription subject = new PollingSubscription(store, SubscriptionRequest.fromPosition("s", 0).withBatchSize(1),
                seen::addAll, signal, Duration.ofMinutes(10), own).start()) {
            assertThat(subject.awaitPosition(appended.lastPosition(), Duration.ofSeconds(20))).isTrue();
        }
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(1L, 2L);
        assertThat(tailReads).as("the first read is a full one, the next ones (within the idle poll) the tail reader's").hasPositiveValue();
    }
}
