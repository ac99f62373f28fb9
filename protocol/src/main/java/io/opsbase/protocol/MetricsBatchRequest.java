package io.opsbase.protocol;

import java.util.List;
import java.util.Objects;

/** {@code POST /api/v1/agent/metrics}: a batch of samples, stored at most once per idempotency key. */
public record MetricsBatchRequest(String idempotencyKey, List<MetricSample> samples) {

    public MetricsBatchRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
