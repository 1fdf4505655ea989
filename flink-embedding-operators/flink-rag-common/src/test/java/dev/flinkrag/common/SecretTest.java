package dev.flinkrag.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretTest {

    @Test
    void aSecretFromTheEnvironmentNamesTheVariableWhenUnset() {
        Secret secret = Secret.fromEnvironment("FLINK_RAG_TEST_UNSET_VARIABLE");
        assertThat(secret).hasToString("$FLINK_RAG_TEST_UNSET_VARIABLE");
        assertThatThrownBy(() -> secret.resolve("Qdrant apiKey"))
                .hasMessageContaining("FLINK_RAG_TEST_UNSET_VARIABLE").hasMessageContaining("Qdrant apiKey");
    }

    @Test
    void aGivenSecretIsNeverPrinted() {
        assertThat(Secret.of("sk-very-secret-key")).hasToString("<set>");
    }
}
