package dev.tandem.messaging.crash;

import dev.tandem.eventstore.Commit;
import dev.tandem.eventstore.EventStore;
import dev.tandem.eventstore.ExpectedVersion;
import dev.tandem.eventstore.NewEvent;
import dev.tandem.eventstore.Route;
import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.StreamId;
import dev.tandem.eventstore.Subscription;
import dev.tandem.eventstore.SubscriptionRequest;
import dev.tandem.eventstore.sqlite.SqliteEventStore;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Message;
import dev.tandem.messaging.MessageBatchListener;
import dev.tandem.messaging.MessageHandler;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.inprocess.InProcessTransport;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link MessagingCrashIT}: services A and B on SQLite files in one JVM, A's
 * relay publishing to B's inbox over the in-process transport.
 *
 * <p>Arguments: {@code <dir> <mode> <messages>}. Modes: {@code send-and-stop-before-publish} appends
 * the messages to A's outbox, then stops at the relay's first publish; {@code stop-after-inbox-commit}
 * stops after B's inbox committed a batch, before the transport is acknowledged; {@code recover} runs
 * until B has applied {@code messages} messages. "Stops" means: prints {@code AT-CRASH-POINT} and
 * parks, waiting for the parent's SIGKILL.
 */
public final class CrashingService {

    static final String AT_CRASH_POINT = "AT-CRASH-POINT";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        int messages = Integer.parseInt(args[2]);
        try (EventStore a = SqliteEventStore.open(dir.resolve("a.db"), StoreOptions.defaults());
                EventStore b = SqliteEventStore.open(dir.resolve("b.db"), StoreOptions.defaults());
                InProcessTransport inProcess = new InProcessTransport()) {
            if (mode.equals("send-and-stop-before-publish") || mode.equals("stop-after-inbox-commit")) {
                for (int i = 0; i < messages; i++) {
                    a.append(StreamId.of("transfer-" + i), ExpectedVersion.noStream(),
                            List.of(NewEvent.json("Requested", Map.of("n", i)).withRoute(Route.to("b", "key-" + (i % 3)))));
                }
                System.out.println("COMMITTED " + a.lastPosition());
            }
            Transport transport = mode.equals("send-and-stop-before-publish") ? stopping(inProcess) : inProcess;
            MessageHandler apply = m -> Commit.builder().append(StreamId.of("applied-" + m.partitionKey()), ExpectedVersion.any(),
                    List.of(NewEvent.json("Applied", Map.of("message", m.id().toString()))));
            InboxConsumer inbox = new InboxConsumer(b, "b/b", apply, InboxOptions.defaults());
            MessageBatchListener listener = batch -> {
                long seenBefore = batch.stream().filter(m -> inbox.handled(m.id())).count();
                if (seenBefore > 0) {
                    System.out.println("REDELIVERED " + seenBefore);
                }
                inbox.onMessages(batch);
                if (mode.equals("stop-after-inbox-commit")) {
                    stop();
                }
            };
            Consumption consumption = transport.consume("b", "b", listener);
            OutboxRelay relay = new OutboxRelay(a, "a", transport, RelayOptions.named("a")).start();
            if (!mode.equals("recover")) {
                while (true) {
                    LockSupport.park(); // a worker thread reaches the crash point; wait here for the kill
                }
            }
            awaitApplied(b, messages);
            // the relay re-publishes its whole backlog (and the listener reports redeliveries) before we report
            // recovery: when every message was applied before the kill, awaitApplied alone returns at once
            if (!relay.awaitPosition(a.lastPosition(), java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("the relay did not re-publish its backlog within 60 s");
            }
            relay.close();
            consumption.close();
            System.out.println("RECOVERED");
        }
    }

    private static Transport stopping(Transport delegate) {
        return new Transport() {
            @Override
            public CompletableFuture<Void> publish(List<Message> messages) {
                stop();
                return delegate.publish(messages);
            }

            @Override
            public Consumption consume(String destination, String group, MessageBatchListener listener) {
                return delegate.consume(destination, group, listener);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }

    private static void stop() {
        System.out.println(AT_CRASH_POINT);
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }

    private static void awaitApplied(EventStore b, int messages) throws InterruptedException {
        CountDownLatch applied = new CountDownLatch(messages);
        Subscription watch = b.subscribe(SubscriptionRequest.fromPosition("crash-watch", 0), events -> events.stream()
                .filter(e -> e.type().equals("Applied")).forEach(e -> applied.countDown()));
        try {
            if (!applied.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("B applied " + (messages - applied.getCount()) + " of " + messages + " messages within 60 s");
            }
        } finally {
            watch.close();
        }
    }

    private CrashingService() {}
}
