package io.opsbase.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * One series drawn at a pixel width: per column its time (the column's start) and first, last,
 * min and max. {@code resolutionSeconds} is the tier the answer came from (0 = raw samples);
 * {@code exact} says whether a chart drawn from it equals one drawn from every raw sample.
 */
public record SeriesGraph(String series, Instant from, Instant to, int width, long resolutionSeconds, boolean exact,
        List<Column> columns) {

    public record Column(Instant time, double first, double last, double min, double max) {
    }
}
