package io.opsbase.protocol;

/** The answer to a metrics batch, sent once the samples are durable. */
public record MetricsBatchResponse(Acknowledgement acknowledgement) {
}
