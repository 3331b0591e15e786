package dev.tandem.messaging.kafka;

import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.PipelinedBatchListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer-group member on its own named poll thread.
 *
 * <p>Each poll's records become one batch for the listener. Offsets move only after the listener
 * returned (or an undecodable record was parked): committed asynchronously at most every
 * {@link KafkaTransportConfig#offsetCommitInterval()} (so a busy consumer sends one commit for many small
 * batches, and an idle one commits what is left after its next poll), and synchronously when partitions
 * are revoked or the consumption closes, so a rebalance never loses processed work and never commits
 * past an unprocessed record. When the listener throws, every
 * partition of the batch is rewound to its first record of the batch and paused for a capped,
 * jittered backoff, then the batch is delivered again.
 *
 * <p>A {@link PipelinedBatchListener} gets up to {@link #PIPELINED_BATCHES} polls' batches at once, so decoding
 * and handling the next batch overlaps making the previous one durable. Offsets still move only in poll order:
 * a batch's offsets count once it and every batch before it completed. When one fails, the thread waits for
 * every batch in flight, rewinds each of their partitions to its first record among them, resumes the
 * listener and backs off as above; so a key's messages are handled again in order, and the inbox
 * de-duplicates those that had been handled. A rebalance or close waits for the batches in flight first.
 * A pipelined listener's handler must not close its own consumption.
 */
final class KafkaConsumption implements Consumption {

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumption.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String destination;
    private final String group;
    private final KafkaTransportConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final MessageBatchListener listener;
    private final PipelinedBatchListener pipelined;
    private final DeadLetters deadLetters;
    private final java.util.function.Consumer<KafkaConsumption> onClose;
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    /** Offsets handled since the last asynchronous commit. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private long lastCommitNanos = System.nanoTime();
    private volatile boolean running = true;
    private int failures;
    private long resumeAtNanos;
    /** Batches handed to a pipelined listener and not yet settled, in poll order; the poll thread's own. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    /** How many polls' batches a {@link PipelinedBatchListener} may have in flight. */
    static final int PIPELINED_BATCHES = 4;

    /** A delivered batch: where each of its partitions starts, the offsets it lets move, and its handling. */
    private record InFlight(Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, OffsetAndMetadata> nextOffsets,
            CompletableFuture<Void> done) {}

    KafkaConsumption(String destination, String group, KafkaTransportConfig config, Consumer<byte[], byte[]> consumer,
            MessageBatchListener listener, DeadLetters deadLetters, java.util.function.Consumer<KafkaConsumption> onClose) {
        this.destination = destination;
        this.group = group;
        this.config = config;
        this.consumer = consumer;
        this.listener = listener;
        this.pipelined = listener instanceof PipelinedBatchListener p ? p : null;
        this.deadLetters = deadLetters;
        this.onClose = onClose;
        this.thread = Thread.ofPlatform().name("tandem-kafka-consumer-" + THREADS.incrementAndGet()).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    @Override
    public String destination() {
        return destination;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public void close() {
        running = false;
        if (Thread.currentThread() == thread) {
            return; // the listener closed us: the loop ends after this batch
        }
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(config.topic(destination)), new Rebalance());
            while (running) {
                resumeWhenBackoffOver();
                if (pipelined != null) {
                    settle(false);
                    if (!inFlight.isEmpty()) {
                        pipelined.awaitCaughtUp(); // while it is busy, records gather into the next poll's batch
                    }
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(nextPollTimeout());
                if (!records.isEmpty()) {
                    deliver(records);
                }
                settle(false);
                commitWhenDue();
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("Consumer of {} (group {}) woken up unexpectedly; it stops", destination, group, e);
            }
        } catch (InterruptedException e) {
            log.error("Consumer of {} (group {}) was interrupted and stops", destination, group);
        } catch (RuntimeException | Error e) {
            log.error("Consumer of {} (group {}) failed and stops", destination, group, e);
        } finally {
            drain();
            commitProcessed();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            onClose.accept(this);
        }
    }

    private void deliver(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();
        List<Message> batch = new ArrayList<>(records.count());
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                firstOffsets.putIfAbsent(partition, record.offset());
                nextOffsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
                try {
                    batch.add(CloudEventsKafkaCodec.decode(destination, record));
                } catch (UndecodableRecordException e) {
                    deadLetters.park(destination, record, e);
                }
            }
        } catch (RuntimeException e) {
            rewind(firstOffsets, e);
            return;
        }
        if (pipelined != null) {
            submit(batch, firstOffsets, nextOffsets);
            return;
        }
        try {
            if (!batch.isEmpty()) {
                listener.onMessages(List.copyOf(batch));
            }
        } catch (Exception e) {
            rewind(firstOffsets, e);
            return;
        }
        failures = 0;
        processed.putAll(nextOffsets);
        uncommitted.putAll(nextOffsets);
    }

    /** Hands a decoded batch to the pipelined listener once fewer than {@link #PIPELINED_BATCHES} are in flight. */
    private void submit(List<Message> batch, Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, OffsetAndMetadata> nextOffsets)
            throws InterruptedException {
        while (inFlight.size() >= PIPELINED_BATCHES) {
            if (settle(true, firstOffsets)) {
                return; // a batch in flight failed: this one was polled after it and comes again after it
            }
        }
        CompletableFuture<Void> done;
        if (batch.isEmpty()) {
            done = CompletableFuture.completedFuture(null); // every record was parked: its offsets still move in order
        } else {
            try {
                done = pipelined.submit(List.copyOf(batch));
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
        }
        inFlight.add(new InFlight(firstOffsets, nextOffsets, done));
    }

    private void settle(boolean waitForHead) throws InterruptedException {
        settle(waitForHead, Map.of());
    }

    /**
     * Counts the batches at the head of the pipeline that completed, in poll order; with {@code waitForHead}, first
     * waits for the head to complete. When the head failed, waits for every batch in flight, rewinds their partitions
     * (and those of {@code polledAfter}, records polled but not handed over yet) and resumes the listener (see the
     * class comment); then returns true.
     */
    private boolean settle(boolean waitForHead, Map<TopicPartition, Long> polledAfter) throws InterruptedException {
        while (!inFlight.isEmpty()) {
            InFlight head = inFlight.peek();
            if (!head.done().isDone()) {
                if (!waitForHead) {
                    return false;
                }
                awaitQuietly(head.done());
                waitForHead = false;
            }
            if (head.done().isCompletedExceptionally()) {
                failedInFlight(head, polledAfter);
                return true;
            }
            inFlight.poll();
            failures = 0;
            processed.putAll(head.nextOffsets());
            uncommitted.putAll(head.nextOffsets());
        }
        return false;
    }

    private void failedInFlight(InFlight head, Map<TopicPartition, Long> polledAfter) throws InterruptedException {
        Throwable failure = head.done().isCancelled() ? new CancellationException("a batch in flight was cancelled")
                : head.done().exceptionNow();
        Map<TopicPartition, Long> rewindTo = new HashMap<>();
        for (InFlight f : inFlight) {
            awaitQuietly(f.done());
            f.firstOffsets().forEach(rewindTo::putIfAbsent); // poll order: the first seen is the earliest
        }
        polledAfter.forEach(rewindTo::putIfAbsent);
        inFlight.clear();
        rewind(rewindTo, failure);
        pipelined.resume();
    }

    /** Waits until every batch in flight has settled, as a rebalance and a close must. */
    private void drain() {
        try {
            while (!inFlight.isEmpty()) {
                settle(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Consumer of {} (group {}) interrupted while {} batches were in flight; their records will be redelivered",
                    destination, group, inFlight.size());
            inFlight.clear();
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> done) throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException | CancellationException e) {
            // the outcome is read from the future by the caller
        }
    }

    /** Commits the offsets handled since the last commit once the commit interval has passed. */
    private void commitWhenDue() {
        if (uncommitted.isEmpty() || System.nanoTime() - lastCommitNanos < config.offsetCommitInterval().toNanos()) {
            return;
        }
        consumer.commitAsync(Map.copyOf(uncommitted), (offsets, failure) -> {
            if (failure != null) {
                log.debug("Asynchronous offset commit for {} failed; a later commit covers it", destination, failure);
            }
        });
        uncommitted.clear();
        lastCommitNanos = System.nanoTime();
    }

    /** Puts every partition of a failed batch back to its first record and pauses delivery for a backoff. */
    private void rewind(Map<TopicPartition, Long> firstOffsets, Throwable failure) {
        failures++;
        Set<TopicPartition> assigned = consumer.assignment();
        firstOffsets.forEach((partition, offset) -> {
            if (assigned.contains(partition)) { // one lost meanwhile is another member's to deliver
                consumer.seek(partition, offset);
            }
        });
        long backoff = backoffMillis();
        log.warn("Listener for {} (group {}) failed on a batch (attempt {}); redelivering in {} ms",
                destination, group, failures, backoff, failure);
        consumer.pause(consumer.assignment());
        resumeAtNanos = System.nanoTime() + backoff * 1_000_000;
    }

    private long backoffMillis() {
        long base = config.retryBackoff().toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, config.maxRetryBackoff().toMillis());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private void resumeWhenBackoffOver() {
        if (!consumer.paused().isEmpty() && System.nanoTime() - resumeAtNanos >= 0) {
            consumer.resume(consumer.paused());
        }
    }

    private Duration nextPollTimeout() {
        if (consumer.paused().isEmpty()) {
            return config.pollTimeout();
        }
        long remaining = Math.max(1, (resumeAtNanos - System.nanoTime()) / 1_000_000);
        return Duration.ofMillis(Math.min(remaining, config.pollTimeout().toMillis()));
    }

    private void commitProcessed() {
        commit(Map.copyOf(processed));
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets); // close() woke us: still commit what was handled
        } catch (KafkaException e) {
            // Lost membership or broker gone: the records are redelivered, and the inbox de-duplicates them.
            log.warn("Committing offsets {} for {} failed; they will be redelivered", offsets, destination, e);
        }
    }

    /** Commits what was handled before a partition goes to another member. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain(); // what is in flight counts before the partitions go
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition partition : partitions) {
                uncommitted.remove(partition);
                OffsetAndMetadata offset = processed.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            }
            commit(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drain();
            partitions.forEach(processed::remove); // another member owns them already; committing would fail
            partitions.forEach(uncommitted::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }
}
