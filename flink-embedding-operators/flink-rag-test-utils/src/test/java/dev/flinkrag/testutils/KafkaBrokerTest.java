package dev.flinkrag.testutils;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

    /** An id starting with '-' made kafka-storage read it as an option, so the broker did not start (1 run in 64). */
    @Test
    void clusterIdsNeverLookLikeAnOption() {
        for (int i = 0; i < 5_000; i++) {
            assertThat(KafkaBroker.clusterId()).hasSize(22).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
        }
    }
}
