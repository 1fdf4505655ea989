package dev.flinkrag.postgres;

import dev.flinkrag.common.Secret;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresConnectionsTest {

    @Test
    void aGivenPasswordIsSentAsIs() {
        Properties properties = PostgresConnections.properties("rag", Secret.of("s3cret"), "test");
        assertThat(properties).containsEntry("user", "rag").containsEntry("password", "s3cret")
                .containsEntry("ApplicationName", "test");
    }

    @Test
    void thePasswordComesFromTheEnvironmentOfTheMachineThatConnects() {
        Properties properties = PostgresConnections.properties("rag", Secret.fromEnvironment("HOME"), "test");
        assertThat(properties).containsEntry("password", System.getenv("HOME"));
        assertThat(PostgresConnections.properties("rag", null, "test")).doesNotContainKey("password");
    }

    @Test
    void aMissingVariableIsNamed() {
        assertThatThrownBy(() -> PostgresConnections.properties("rag",
                Secret.fromEnvironment("FLINK_RAG_NO_SUCH_VARIABLE"), "test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FLINK_RAG_NO_SUCH_VARIABLE").hasMessageContaining("database password");
    }

    @Test
    void connectionOptionsReadTheSameKeysAsSqlAndNeverShowThePassword() {
        PostgresConnectionOptions options = PostgresConnectionOptions.fromConfiguration(Configuration.fromMap(Map.of(
                "url", "jdbc:postgresql://db/rag", "username", "rag", "password", "s3cret")));
        assertThat(options.password()).hasToString("<set>");
        assertThat(options.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db/rag");
        assertThat(PostgresConnectionOptions.fromConfiguration(Configuration.fromMap(Map.of(
                "url", "jdbc:postgresql://db/rag", "username", "rag", "password-env", "PGPASSWORD"))).password())
                .hasToString("$PGPASSWORD");
        assertThatThrownBy(() -> PostgresConnectionOptions.fromConfiguration(Configuration.fromMap(Map.of(
                "url", "jdbc:mysql://db/rag", "username", "rag"))))
                .hasMessageContaining("option 'url' must be a jdbc:postgresql: URL");
        assertThatThrownBy(() -> PostgresConnectionOptions.fromConfiguration(Configuration.fromMap(Map.of(
                "url", "jdbc:postgresql://db/rag")))).hasMessage("option 'username' is required");
    }
}
