package io.opsbase.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Aggregation the slow, obvious way, to check rollups against. */
final class BruteForce {

    private BruteForce() {
    }

    static List<Bucket> buckets(long[] ts, double[] vs, long step) {
        TreeMap<Long, List<Double>> groups = new TreeMap<>();
        for (int i = 0; i < ts.length; i++) {
            if (!Double.isNaN(vs[i])) {
                groups.computeIfAbsent(Math.floorDiv(ts[i], step) * step, k -> new ArrayList<>()).add(vs[i]);
            }
        }
        List<Bucket> out = new ArrayList<>();
        groups.forEach((start, values) -> {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
            boolean plusInf = false;
            boolean minusInf = false;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                if (Double.isInfinite(v)) {
                    plusInf |= v > 0;
                    minusInf |= v < 0;
                } else {
                    exact = exact.add(new java.math.BigDecimal(v));
                }
            }
            double sum = plusInf && minusInf ? Double.NaN : plusInf ? Double.POSITIVE_INFINITY
                    : minusInf ? Double.NEGATIVE_INFINITY : exact.doubleValue();
            out.add(new Bucket(start, values.getFirst(), values.getLast(), min, max, sum, values.size()));
        });
        return out;
    }
}
