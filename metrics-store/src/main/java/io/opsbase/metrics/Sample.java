package io.opsbase.metrics;

/** One value of one series at {@code timestamp} (epoch ms). */
public record Sample(long timestamp, double value) {
}
