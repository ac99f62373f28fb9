package io.opsbase.metrics;

import java.time.Duration;

/**
 * One rollup resolution: buckets of {@code step}, stored in files each covering {@code fileWindow}
 * (after compaction), dropped a whole file at a time once older than {@code retention}.
 */
public record RollupLevel(Duration step, Duration fileWindow, Duration retention) {

    public long stepMs() {
        return step.toMillis();
    }
}
