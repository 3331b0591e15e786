package dev.tandem.saga.engine;

import dev.tandem.eventstore.StoreOptions;
import dev.tandem.eventstore.postgres.PostgresEventStore;
import dev.tandem.messaging.Consumption;
import dev.tandem.messaging.Transport;
import dev.tandem.messaging.inbox.InboxConsumer;
import dev.tandem.messaging.inbox.InboxOptions;
import dev.tandem.messaging.kafka.KafkaTransport;
import dev.tandem.messaging.kafka.KafkaTransportConfig;
import dev.tandem.messaging.outbox.OutboxRelay;
import dev.tandem.messaging.outbox.RelayOptions;
import dev.tandem.saga.definition.DefinitionRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server deployment used by integration tests: each service's event store in its own schema of one
 * PostgreSQL database ({@code <prefix>_coordinator}, {@code <prefix>_bank_a}, {@code <prefix>_bank_b}) and the
 * Kafka transport (topics {@code <prefix>.<destination>}). Banks and coordinators are started separately, so a
 * coordinator can run in another process (see {@link CoordinatorProcess}) or twice.
 */
final class ServerSystem implements AutoCloseable {

    /** Where the database and the broker are, and the names of this system's schemas and topics. */
    record Where(String jdbcUrl, String user, String password, String bootstrapServers, String prefix) {

        List<String> args() {
            return List.of(jdbcUrl, user, password, bootstrapServers, prefix);
        }

        static Where of(String[] args, int from) {
            return new Where(args[from], args[from + 1], args[from + 2], args[from + 3], args[from + 4]);
        }

        PostgresEventStore open(String service) {
            return PostgresEventStore.open(jdbcUrl, user.isEmpty() ? null : user, password.isEmpty() ? null : password,
                    prefix + "_" + service.replace('-', '_'), StoreOptions.defaults());
        }

        /** @param instance a static group member id (a restarted process takes its place at once), or null */
        KafkaTransport transport(String instance) {
            KafkaTransportConfig.Builder config = KafkaTransportConfig.builder(bootstrapServers).topicPrefix(prefix + ".").partitions(4)
                    .clientProperty("session.timeout.ms", "10000").clientProperty("heartbeat.interval.ms", "1000");
            if (instance != null) {
                config.clientProperty("group.instance.id", instance);
            }
            return new KafkaTransport(config.build());
        }
    }

    final Where where;
    final Transport transport;
    final List<AutoCloseable> parts = new ArrayList<>();
    final List<Throwable> timerErrors = new CopyOnWriteArrayList<>();
    private final java.util.Map<Coordinator, PostgresEventStore> coordinatorStores = new java.util.concurrent.ConcurrentHashMap<>();

    ServerSystem(Where where, String instance) {
        this.where = where;
        this.transport = where.transport(instance);
    }

    /** Opens bank {@code name} (creating its account with {@code opening} when given) and starts its inbox and relay. */
    Bank bank(String name, Long opening) {
        PostgresEventStore store = where.open(name);
        parts.add(store);
        Bank bank = opening == null ? Bank.existing(name, store) : new Bank(name, store, opening);
        consume(store, name, name, bank.participant());
        return bank;
    }

    /** Opens the coordinator's store and a coordinator named {@code coordinator} on it; nothing runs yet. */
    Coordinator coordinator(DefinitionRegistry registry, Ownership ownership, long seed) {
        PostgresEventStore store = where.open("coordinator");
        parts.add(store);
        Coordinator coordinator = new Coordinator("coordinator", store, registry, InstantSource.system(), new SplittableRandom(seed), ownership);
        coordinatorStores.put(coordinator, store);
        return coordinator;
    }

    PostgresEventStore storeOf(Coordinator coordinator) {
        return coordinatorStores.get(coordinator);
    }

    /** Starts the coordinator's reply inbox, its relay and its timer driver. */
    void run(Coordinator coordinator) {
        consume(storeOf(coordinator), "coordinator", "coordinator", coordinator.replyHandler());
        TimerDriver timers = new TimerDriver(coordinator, InstantSource.system(), Duration.ofMillis(100), timerErrors::add).start();
        parts.add(timers);
    }

    private void consume(PostgresEventStore store, String service, String destination, dev.tandem.messaging.MessageHandler handler) {
        InboxOptions inbox = InboxOptions.defaults().withReplies(transport, service);
        Consumption c = transport.consume(destination, service, new InboxConsumer(store, service + "/" + destination, handler, inbox));
        parts.add(c);
        parts.add(new OutboxRelay(store, service, transport, RelayOptions.named(service)).start());
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        // stop timers, consumers and relays (newest first), then the transport, then the stores
        for (AutoCloseable part : reversed) {
            if (!(part instanceof PostgresEventStore)) {
                closeQuietly(part);
            }
        }
        closeQuietly(transport);
        for (AutoCloseable part : reversed) {
            if (part instanceof PostgresEventStore) {
                closeQuietly(part);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + c, e);
        }
    }
}
