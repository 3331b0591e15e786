package dev.tandem.example.bank.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    @Test
    void refusesAPostgresUrlThatIsNotJdbcAndAMissingKafka() {
        assertThatThrownBy(() -> new NodeConfig(Path.of("d"), "postgres://h/db", "127.0.0.1:9092", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> new NodeConfig(Path.of("d"), null, " ", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("kafka");
    }

    @Test
    void eachServiceHasItsOwnSchemaOrFileName() {
        assertThat(NodeConfig.storeName("bank-A")).isEqualTo("bank_a");
        assertThat(NodeConfig.storeName("coordinator")).isEqualTo("coordinator");
    }

    @Test
    void passesItselfToAServiceProcessAsOptions() {
        NodeConfig config = new NodeConfig(Path.of("data"), "jdbc:postgresql://127.0.0.1:5432/bank", "127.0.0.1:9092", "p.");
        assertThat(NodeMain.bankArguments(config, "A", 8081)).containsExactly("bank", "--name", "A", "--port", "8081",
                "--data-dir", "data", "--kafka", "127.0.0.1:9092", "--topic-prefix", "p.", "--postgres", "jdbc:postgresql://127.0.0.1:5432/bank");
    }
}
