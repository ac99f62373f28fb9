package io.opsbase.monitoring;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Monitoring settings ({@code opsbase.monitoring.*}).
 *
 * @param storeDirectory     where the metrics-store keeps its files; empty means {@code <data-dir>/metrics}
 * @param queueCapacity      batches accepted and not yet durable (queued or waiting for the WAL sync); past it agents are told to retry later (429)
 * @param consumers          threads that map series and append to the store
 * @param maxSamplesPerBatch a larger batch is refused (422); the agent splits its outbox into smaller ones
 * @param retryAfter         what a 429 tells the agent to wait
 * @param checkpointEvery    how often due windows are sealed into block files and the WAL trimmed
 * @param maxFuture          samples stamped further ahead of the server's clock are refused (a wrong agent clock)
 * @param evaluateEvery      how often alert rules are evaluated
 * @param flapWindow         an alert that fired {@code flapFirings} times within this window is flapping
 * @param flapFirings        see {@code flapWindow}
 * @param suppressionDepth   how far up the CMDB graph a failed dependency is looked for when a host goes down
 * @param mailFrom           the sender address of alert e-mails
 * @param deliveryAttempts   a notification is tried this many times (with growing pauses) before it is marked failed
 */
@Validated
@ConfigurationProperties("opsbase.monitoring")
public record MonitoringProperties(
        Path storeDirectory,
        @Min(1) @Max(1_000_000) @DefaultValue("1024") int queueCapacity,
        @Min(1) @Max(64) @DefaultValue("2") int consumers,
        @Min(1) @Max(1_000_000) @DefaultValue("50000") int maxSamplesPerBatch,
        @NotNull @DefaultValue("5s") Duration retryAfter,
        @NotNull @DefaultValue("1m") Duration checkpointEvery,
        @NotNull @DefaultValue("10m") Duration maxFuture,
        @NotNull @DefaultValue("10s") Duration evaluateEvery,
        @NotNull @DefaultValue("1h") Duration flapWindow,
        @Min(2) @DefaultValue("4") int flapFirings,
        @Min(1) @Max(10) @DefaultValue("3") int suppressionDepth,
        @NotNull @DefaultValue("opsbase@localhost") String mailFrom,
        @Min(1) @Max(20) @DefaultValue("6") int deliveryAttempts) {
}
