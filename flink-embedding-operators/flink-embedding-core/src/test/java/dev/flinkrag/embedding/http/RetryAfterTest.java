package dev.flinkrag.embedding.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 08:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pastDatesMeanNowAndGarbageMeansNotSaid() {
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 07:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("-3", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse(null, NOW)).isNull();
    }
}
