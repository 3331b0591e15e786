package dev.tandem.messaging.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka client settings a {@link KafkaTransportConfig} implies; user client properties win over defaults. */
final class ClientProperties {

    private ClientProperties() {}

    static Map<String, Object> producer(KafkaTransportConfig config, String clientId) {
        Map<String, Object> p = common(config, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps per-partition order with up to 5 requests in flight, even across retries.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchBytes());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.deliveryTimeout().toMillis());
        // Our own size check runs first; the producer's must not reject what ours admitted (headers and overhead).
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1024 * 1024, config.maxMessageBytes() + 64 * 1024));
        return withOverrides(p, config);
    }

    static Map<String, Object> consumer(KafkaTransportConfig config, String group, String clientId) {
        Map<String, Object> p = common(config, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts from the beginning: nothing published before it joined is skipped.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(1024 * 1024, config.maxMessageBytes() + 64 * 1024));
        return withOverrides(p, config);
    }

    static Map<String, Object> admin(KafkaTransportConfig config, String clientId) {
        Map<String, Object> p = common(config, clientId);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
        return withOverrides(p, config);
    }

    private static Map<String, Object> common(KafkaTransportConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis());
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, 50);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, 50);
        p.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, 1_000);
        return p;
    }

    private static Map<String, Object> withOverrides(Map<String, Object> p, KafkaTransportConfig config) {
        p.putAll(config.clientProperties());
        return p;
    }
}
