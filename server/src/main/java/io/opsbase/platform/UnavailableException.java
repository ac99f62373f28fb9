package io.opsbase.platform;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * The server cannot take the request now (503) and the caller should retry after
 * {@link #retryAfter()}, sent as {@code Retry-After}. For senders that retry 5xx but drop on 429,
 * such as Prometheus remote write.
 */
public final class UnavailableException extends ApiException {

    private final Duration retryAfter;

    public UnavailableException(String detail, Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("retryAfterSeconds", Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}
