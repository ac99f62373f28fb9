package io.opsbase.metrics;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a store is laid out and how long it keeps data.
 *
 * @param blockWindow   time window of one raw block file; every rollup step must divide it
 * @param tolerance     how far behind a series' newest sample a sample may arrive and still be
 *                      accepted (out of order); older ones are rejected and counted
 * @param sealDelay     a window is sealed into a block at a checkpoint once the newest sample of
 *                      any series is this far past the window's end
 * @param rawRetention  raw block files whose window ended longer ago than this (by {@code clock}) are deleted
 * @param rollups       rollup levels, finest first
 */
public record StoreConfig(Path directory, Disk disk, Clock clock, Duration blockWindow, Duration tolerance,
                          Duration sealDelay, Duration rawRetention, List<RollupLevel> rollups) {

    public static final List<RollupLevel> DEFAULT_ROLLUPS = List.of(
            new RollupLevel(Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofDays(90)),
            new RollupLevel(Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofDays(365)),
            new RollupLevel(Duration.ofHours(1), Duration.ofDays(28), Duration.ofDays(5 * 365 + 1)));

    public StoreConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(clock, "clock");
        rollups = List.copyOf(rollups);
        long window = blockWindow.toMillis();
        if (window <= 0 || tolerance.isNegative() || sealDelay.isNegative() || tolerance.compareTo(blockWindow) > 0) {
            throw new IllegalArgumentException("need blockWindow > 0 and 0 <= tolerance <= blockWindow, sealDelay >= 0");
        }
        long previous = 0;
        for (RollupLevel level : rollups) {
            long step = level.stepMs();
            long file = level.fileWindow().toMillis();
            if (step <= previous || window % step != 0 || file % window != 0 || file <= 0) {
                throw new IllegalArgumentException("rollup " + level + ": steps must grow, divide the block window "
                        + blockWindow + ", and the file window must be a multiple of the block window");
            }
            previous = step;
        }
    }

    /** Defaults: 2 h blocks, 1 min tolerance, 10 min seal delay, raw 15 days, rollups 1 min / 5 min / 1 h. */
    public static StoreConfig defaults(Path directory) {
        return new StoreConfig(directory, new LocalDisk(), Clock.systemUTC(), Duration.ofHours(2), Duration.ofMinutes(1),
                Duration.ofMinutes(10), Duration.ofDays(15), DEFAULT_ROLLUPS);
    }

    public StoreConfig withDisk(Disk value) {
        return new StoreConfig(directory, value, clock, blockWindow, tolerance, sealDelay, rawRetention, rollups);
    }

    public StoreConfig withClock(Clock value) {
        return new StoreConfig(directory, disk, value, blockWindow, tolerance, sealDelay, rawRetention, rollups);
    }

    public StoreConfig withTolerance(Duration value) {
        return new StoreConfig(directory, disk, clock, blockWindow, value, sealDelay, rawRetention, rollups);
    }
}
