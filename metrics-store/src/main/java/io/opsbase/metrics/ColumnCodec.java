package io.opsbase.metrics;

/**
 * Column encodings of sealed data (block chunks, rollup buckets). Bits, most significant first.
 *
 * <p>Timestamp column: 64 raw bits, then per value the zig-zag delta-of-delta as
 * {@link BitWriter#writeSigned} (1 bit when the interval holds).
 *
 * <p>Value column: a 2-bit tag, then
 * <ul>
 *   <li>{@code 00} XOR: {@link XorCoder} over the raw bits — any double, NaN and -0.0 included;</li>
 *   <li>{@code 01} decimal delta, {@code 10} decimal delta-of-delta: 4 bits {@code k}, then the
 *       integers {@code m[i]} with {@code values[i] == m[i] / 10^k} exactly (as a Java double
 *       division), the first zig-zag coded, the rest as deltas (or deltas of deltas).</li>
 * </ul>
 * The encoder tries every mode and keeps the shortest. Decimal modes apply only when every value
 * is finite, not -0.0 and reproduced bit for bit from {@code m / 10^k} with |m| < 2^53 — most
 * gauges and counters that exporters print with a few decimals are, and then cost far fewer bits
 * than XOR.
 */
final class ColumnCodec {

    private static final int MAX_SCALE = 15;
    private static final double[] POW10 = new double[MAX_SCALE + 1];
    private static final long M_LIMIT = 1L << 53;

    static {
        for (int k = 0; k <= MAX_SCALE; k++) {
            POW10[k] = Math.pow(10, k);
        }
    }

    private ColumnCodec() {
    }

    static void writeTimestamps(BitWriter out, long[] ts, int n) {
        long prevDelta = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                out.write(ts[0], 64);
            } else {
                long delta = ts[i] - ts[i - 1];
                out.writeSigned(delta - prevDelta);
                prevDelta = delta;
            }
        }
    }

    static long[] readTimestamps(BitReader in, int n) {
        long[] ts = new long[n];
        long delta = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                ts[0] = in.read(64);
            } else {
                delta += in.readSigned();
                ts[i] = ts[i - 1] + delta;
            }
        }
        return ts;
    }

    static void writeValues(BitWriter out, double[] vs, int n) {
        writeValues(out, vs, n, false, 0);
    }

    /**
     * With {@code seeded}, the column is coded as if {@code seed} came before its first value (XOR
     * against the seed's bits; in decimal modes the first integer as a difference from the seed's);
     * the reader must pass the same seed. Rollup columns seed last, min and max with the bucket's
     * first value, so a short run of buckets does not pay 64 bits per column.
     */
    static void writeValues(BitWriter out, double[] vs, int n, boolean seeded, double seed) {
        BitWriter best = new BitWriter(n);
        best.write(0b00, 2);
        XorCoder xor = new XorCoder();
        if (seeded) {
            xor.seed(Double.doubleToRawLongBits(seed));
        }
        for (int i = 0; i < n; i++) {
            xor.write(best, Double.doubleToRawLongBits(vs[i]));
        }
        int k = decimalScale(vs, n);
        if (k >= 0) {
            for (int order = 1; order <= 2; order++) {
                BitWriter candidate = new BitWriter(n);
                candidate.write(order, 2);
                candidate.write(k, 4);
                long prev = 0;
                long prevDelta = 0;
                long base = seeded ? seedInteger(seed, k) : 0;
                for (int i = 0; i < n; i++) {
                    long m = Math.round(vs[i] * POW10[k]);
                    if (i == 0) {
                        candidate.writeSigned(m - base);
                    } else if (order == 1) {
                        candidate.writeSigned(m - prev);
                    } else {
                        candidate.writeSigned(m - prev - prevDelta);
                        prevDelta = m - prev;
                    }
                    prev = m;
                }
                if (candidate.bitLength() < best.bitLength()) {
                    best = candidate;
                }
            }
        }
        out.append(best);
    }

    static double[] readValues(BitReader in, int n) {
        return readValues(in, n, false, 0);
    }

    static double[] readValues(BitReader in, int n, boolean seeded, double seed) {
        double[] vs = new double[n];
        int tag = (int) in.read(2);
        if (tag == 0) {
            XorCoder xor = new XorCoder();
            if (seeded) {
                xor.seed(Double.doubleToRawLongBits(seed));
            }
            for (int i = 0; i < n; i++) {
                vs[i] = Double.longBitsToDouble(xor.read(in));
            }
            return vs;
        }
        if (tag == 3) {
            throw new CorruptDataException("unknown value column tag 3");
        }
        int k = (int) in.read(4);
        double p = POW10[k];
        long m = 0;
        long delta = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                m = in.readSigned() + (seeded ? seedInteger(seed, k) : 0);
            } else if (tag == 1) {
                m += in.readSigned();
            } else {
                delta += in.readSigned();
                m += delta;
            }
            vs[i] = m / p;
        }
        return vs;
    }

    /** {@code v × 10^k} as the integer it is known to be (see {@link #decimalScale}). */
    static long scaled(double v, int k) {
        return Math.round(v * POW10[k]);
    }

    /** True when {@code v × 10^k} is finite and below 2^53 in magnitude, so {@link #scaled} is safe. */
    static boolean scalable(double v, int k) {
        double scaled = v * POW10[k];
        return Double.isFinite(scaled) && Math.abs(scaled) < M_LIMIT;
    }

    static double unscaled(long m, int k) {
        return m / POW10[k];
    }

    /** The seed scaled to the column's decimal places, or 0 when that is not a safe integer. */
    private static long seedInteger(double seed, int k) {
        double scaled = seed * POW10[k];
        return Double.isFinite(scaled) && Math.abs(scaled) < M_LIMIT ? Math.round(scaled) : 0;
    }

    /** The smallest k that reproduces every value as m / 10^k, or -1. */
    static int decimalScale(double[] vs, int n) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            double v = vs[i];
            if (!Double.isFinite(v) || Double.doubleToRawLongBits(v) == Long.MIN_VALUE) {
                return -1;
            }
            while (!exactAt(v, k)) {
                if (++k > MAX_SCALE) {
                    return -1;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!exactAt(vs[i], k)) {
                return -1;
            }
        }
        return k;
    }

    private static boolean exactAt(double v, int k) {
        double scaled = v * POW10[k];
        if (Math.abs(scaled) >= M_LIMIT) {
            return false;
        }
        long m = Math.round(scaled);
        return Double.doubleToRawLongBits(m / POW10[k]) == Double.doubleToRawLongBits(v);
    }
}
