package dev.flinkrag.embedding.http;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;

import java.time.Duration;

/** Builds a {@link RetryAfterAwareHttpClient}; pass it to a LangChain4j model's {@code httpClientBuilder(...)}. */
final class RetryAfterAwareHttpClientBuilder implements HttpClientBuilder {

    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration readTimeout = Duration.ofSeconds(60);

    RetryAfterAwareHttpClientBuilder() {}

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public RetryAfterAwareHttpClientBuilder connectTimeout(Duration timeout) {
        if (timeout != null) {
            this.connectTimeout = timeout;
        }
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public RetryAfterAwareHttpClientBuilder readTimeout(Duration timeout) {
        if (timeout != null) {
            this.readTimeout = timeout;
        }
        return this;
    }

    @Override
    public HttpClient build() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .build();
        return new RetryAfterAwareHttpClient(client, readTimeout);
    }
}
