package dev.tandem.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Nested
    class NamingAFreshDatabaseInAnExternalServersUrl {

        @Test
        void replacesTheDatabaseAndKeepsHostPortAndParameters() {
            assertThat(TestPostgres.withDatabase("jdbc:postgresql://db.local:5433/postgres?user=u&password=p", "tandem_test_1"))
                    .isEqualTo("jdbc:postgresql://db.local:5433/tandem_test_1?user=u&password=p");
        }

        @Test
        void addsTheDatabaseWhenTheUrlNamesNone() {
            assertThat(TestPostgres.withDatabase("jdbc:postgresql://127.0.0.1:5432", "tandem_test_2")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/tandem_test_2");
            assertThat(TestPostgres.withDatabase("jdbc:postgresql://127.0.0.1/?ssl=false", "tandem_test_3"))
                    .isEqualTo("jdbc:postgresql://127.0.0.1/tandem_test_3?ssl=false");
        }
    }
}
