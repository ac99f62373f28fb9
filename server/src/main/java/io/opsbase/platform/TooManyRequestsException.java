package io.opsbase.platform;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * The server is saturated for now; the caller should retry after {@link #retryAfter()} (sent as
 * the {@code Retry-After} header and a problem member). Nothing of the request was kept.
 */
public final class TooManyRequestsException extends ApiException {

    private final Duration retryAfter;

    public TooManyRequestsException(String detail, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("retryAfterSeconds", retryAfterSeconds());
    }

    long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
