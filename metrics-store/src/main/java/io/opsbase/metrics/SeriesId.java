package io.opsbase.metrics;

/** The compact id the series index gives a {@link SeriesKey}; dense from 0, never reused. */
public record SeriesId(int value) {
    public SeriesId {
        if (value < 0) {
            throw new IllegalArgumentException("negative series id " + value);
        }
    }
}
