package dev.tandem.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KafkaTransportConfigTest {

    @Nested
    class Defaults {

        @Test
        void nameTopicsWithTheTandemPrefix() {
            KafkaTransportConfig subject = KafkaTransportConfig.builder("127.0.0.1:9092").build();

            assertThat(subject.topic("bank-b")).isEqualTo("tandem.bank-b");
            assertThat(subject.deadLetterTopic("bank-b")).isEqualTo("tandem.bank-b.dlt");
            assertThat(subject.createTopics()).isTrue();
            assertThat(subject.maxMessageBytes()).isEqualTo(1024 * 1024);
        }
    }

    @Nested
    class Validation {

        @Test
        void rejectsABlankBootstrapServerList() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder(" ").build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("kafka.bootstrapServers");
        }

        @Test
        void rejectsATopicPrefixKafkaCannotUse() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").topicPrefix("a b").build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'a b'");
        }

        @Test
        void rejectsNonPositiveSizesAndCounts() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").partitions(0).build())
                    .hasMessageContaining("kafka.partitions: must be positive, was 0");
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").maxMessageBytes(-1).build())
                    .hasMessageContaining("kafka.maxMessageBytes");
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").replicationFactor((short) 0).build())
                    .hasMessageContaining("kafka.replicationFactor");
        }

        @Test
        void rejectsADeliveryTimeoutShorterThanOneRequest() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1")
                            .requestTimeout(Duration.ofSeconds(10)).deliveryTimeout(Duration.ofSeconds(5)).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("kafka.deliveryTimeout");
        }

        @Test
        void rejectsANegativeOffsetCommitIntervalAndTakesZeroAsEveryBatch() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").offsetCommitInterval(Duration.ofMillis(-1)).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("kafka.offsetCommitInterval");
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1").offsetCommitInterval(null).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("kafka.offsetCommitInterval");
            assertThat(KafkaTransportConfig.builder("h:1").offsetCommitInterval(Duration.ZERO).build().offsetCommitInterval()).isZero();
            assertThat(KafkaTransportConfig.builder("h:1").build().offsetCommitInterval()).isEqualTo(Duration.ofMillis(50));
        }

        @Test
        void rejectsABackoffCapBelowTheFirstBackoff() {
            assertThatThrownBy(() -> KafkaTransportConfig.builder("h:1")
                            .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                    .hasMessageContaining("kafka.maxRetryBackoff");
        }

        @Test
        void rejectsDestinationsThatCannotNameATopic() {
            KafkaTransportConfig subject = KafkaTransportConfig.builder("h:1").build();

            assertThatThrownBy(() -> subject.topic("bank b/1"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'bank b/1' cannot name a Kafka topic");
        }

        @Test
        void keepsClientPropertiesImmutable() {
            KafkaTransportConfig subject = KafkaTransportConfig.builder("h:1").clientProperty("security.protocol", "SSL").build();

            assertThatThrownBy(() -> subject.clientProperties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
