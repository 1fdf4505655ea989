package dev.flinkrag.common;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.Map;

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
    void stringOptionsGiveTheValueFirstThenTheVariable() {
        ConfigOption<String> value = ConfigOptions.key("password").stringType().noDefaultValue();
        ConfigOption<String> variable = ConfigOptions.key("password-env").stringType().noDefaultValue();
        assertThat(Secret.fromOptions(Configuration.fromMap(Map.of("password", "x", "password-env", "PGPASSWORD")),
                value, variable)).hasToString("<set>");
        assertThat(Secret.fromOptions(Configuration.fromMap(Map.of("password-env", "PGPASSWORD")), value, variable))
                .hasToString("$PGPASSWORD");
        assertThat(Secret.fromOptions(new Configuration(), value, variable)).isNull();
    }

    @Test
    void aGivenSecretIsNeverPrinted() {
        assertThat(Secret.of("sk-very-secret-key")).hasToString("<set>");
    }
}
