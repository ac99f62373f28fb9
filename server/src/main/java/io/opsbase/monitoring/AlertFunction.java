package io.opsbase.monitoring;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a rule computes over its window of raw samples: the last value, the average, the minimum,
 * the maximum, the rate per second between the first and last sample (a counter that went back is
 * counted from zero, as Prometheus's rate does), or the number of samples.
 */
public enum AlertFunction {
    LAST, AVG, MIN, MAX, RATE, COUNT;

    /** The value over the samples (time-ordered), NaN when there is nothing to compute from. */
    public double apply(long[] timestamps, double[] values) {
        int n = values.length;
        if (n == 0) {
            return this == COUNT ? 0 : Double.NaN;
        }
        switch (this) {
            case LAST:
                return values[n - 1];
            case COUNT:
                return n;
            case RATE: {
                if (n < 2 || timestamps[n - 1] == timestamps[0]) {
                    return Double.NaN;
                }
                double increase = 0;
                for (int i = 1; i < n; i++) {
                    double d = values[i] - values[i - 1];
                    increase += d >= 0 ? d : values[i];
                }
                return increase * 1000.0 / (timestamps[n - 1] - timestamps[0]);
            }
            default:
                break;
        }
        double acc = this == MIN ? Double.POSITIVE_INFINITY : this == MAX ? Double.NEGATIVE_INFINITY : 0;
        int counted = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            counted++;
            acc = switch (this) {
                case MIN -> Math.min(acc, v);
                case MAX -> Math.max(acc, v);
                default -> acc + v;
            };
        }
        if (counted == 0) {
            return Double.NaN;
        }
        return this == AVG ? acc / counted : acc;
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static AlertFunction of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
