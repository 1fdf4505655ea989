package dev.flinkrag.postgres;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresConnectionsTest {

    @Test
    void aGivenPasswordWinsOverTheEnvironment() {
        Properties properties = PostgresConnections.properties("rag", "s3cret", "HOME", "password-env", "test");
        assertThat(properties).containsEntry("user", "rag").containsEntry("password", "s3cret")
                .containsEntry("ApplicationName", "test");
    }

    @Test
    void thePasswordComesFromTheEnvironmentOfTheMachineThatConnects() {
        Properties properties = PostgresConnections.properties("rag", null, "HOME", "password-env", "test");
        assertThat(properties).containsEntry("password", System.getenv("HOME"));
        assertThat(PostgresConnections.properties("rag", null, null, "password-env", "test"))
                .doesNotContainKey("password");
    }

    @Test
    void aMissingVariableIsNamedWithItsOption() {
        assertThatThrownBy(() -> PostgresConnections.properties("rag", null, "FLINK_RAG_NO_SUCH_VARIABLE",
                "passwordEnv", "test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FLINK_RAG_NO_SUCH_VARIABLE").hasMessageContaining("'passwordEnv'");
    }

    @Test
    void aPasswordIsNeverDescribed() {
        assertThat(PostgresConnections.describePassword("s3cret", null)).isEqualTo("<set>").doesNotContain("s3cret");
        assertThat(PostgresConnections.describePassword(null, "PGPASSWORD")).isEqualTo("$PGPASSWORD");
        assertThat(PostgresConnections.describePassword(null, null)).isEqualTo("<none>");
    }
}
