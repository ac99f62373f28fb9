package io.opsbase.metrics;

/**
 * The joint decimal value modes of a rollup entry ({@link BucketCodec} modes {@code 01} and
 * {@code 10}). They apply when first, last, min and max of every bucket are m / 10^k exactly for
 * one k (and every sum × 10^k is a safe integer). With F, L, N, X the integers m of first, last,
 * min and max, S = round(sum × 10^k) and c the count:
 *
 * <pre>
 * 2 bits mode | 4 bits k | 1 bit C (sum corrections present)
 * | mode 10 only: (C ? 6 : 5) × 6 bits Rice parameters p1..p6 (0..62)
 * | writeSigned(F of the first bucket)       (version 3 files: bit r, then writeSigned(F − R) when
 *                                           r = 1, R the reference of {@link RollupGroup}, else F)
 * | per bucket the unsigned numbers
 *     1 zigzag(F − previous L)          (left out for the first bucket)
 *     2 zigzag(L − F)
 *     3 min(F, L) − N
 *     4 X − max(F, L)
 *     5 zigzag(S − ((c × (F + L)) >> 1))   (64-bit wrapping product: both sides compute it alike,
 *                                           and S fits in 53 bits, so S is restored exactly)
 *     6 zigzag(bits(sum) − bits(S / 10^k)) (only if C: the exact sum of decimals rounded once is
 *                                           not always the double nearest a decimal)
 *   each as writeSigned's prefix code of the number itself (mode 01) or Rice-coded with its
 *   parameter (mode 10, {@link BitWriter#writeRice})
 * </pre>
 *
 * A bucket's first and last sit near its neighbours and inside [min, max], and its sum near
 * count × the middle of first and last, so these numbers are small; the Rice parameters, chosen
 * per entry, adapt their width to each series' noise.
 */
final class JointDecimal {

    private static final int FIELDS = 5;

    private JointDecimal() {
    }

    /**
     * The shorter of the two joint modes, starting with its 2-bit mode; null when not applicable.
     * With a {@code reference} (version 3 files), the first value is written as a bit r and either
     * itself (r = 0) or its difference from the reference scaled to this entry's k (r = 1).
     */
    static BitWriter encode(Bucket[] buckets, Reference reference) {
        long[][] diffs = differences(buckets);
        if (diffs == null) {
            return null;
        }
        BitWriter signed = jointSigned(diffs, buckets.length, reference);
        BitWriter rice = jointRice(diffs, buckets.length, reference);
        return rice.bitLength() < signed.bitLength() ? rice : signed;
    }

    /**
     * What a version 3 entry's first value may be coded against: the previous entry's first value
     * in the same group (series with neighbouring ids are often of one metric, of like magnitude).
     * {@link #NONE} in version 2 files, which have no r bit.
     */
    record Reference(boolean present, double value) {
        static final Reference NONE = new Reference(false, 0);

        static Reference of(double value) {
            return new Reference(true, value);
        }

        /** The reference as an integer at scale k, or 0 when that is not a safe integer. */
        long scaled(int k) {
            return ColumnCodec.scalable(value, k) ? ColumnCodec.scaled(value, k) : 0;
        }
    }

    private static void writeFirst(BitWriter out, long first, int k, Reference reference) {
        if (!reference.present()) {
            out.writeSigned(first);
            return;
        }
        long delta = first - reference.scaled(k);
        boolean relative = Long.compareUnsigned(zigzag(delta), zigzag(first)) < 0;
        out.writeBit(relative);
        out.writeSigned(relative ? delta : first);
    }

    /**
     * The joint decimal differences: row 0 holds k and F₀ ({@code diffs[0][0]}, {@code diffs[0][1]}),
     * rows 1 to 6 the per-bucket numbers (6: sum corrections), signed ones already zig-zagged. Null when the
     * aggregates are not all decimals of one scale.
     */
    private static long[][] differences(Bucket[] buckets) {
        int n = buckets.length;
        double[] all = new double[4 * n];
        for (int i = 0; i < n; i++) {
            Bucket b = buckets[i];
            all[4 * i] = b.first();
            all[4 * i + 1] = b.last();
            all[4 * i + 2] = b.min();
            all[4 * i + 3] = b.max();
        }
        int k = ColumnCodec.decimalScale(all, all.length);
        if (k < 0 || n == 0) {
            return null;
        }
        long[][] d = new long[FIELDS + 2][n];
        d[0] = new long[] {k, ColumnCodec.scaled(buckets[0].first(), k)};
        long previousLast = 0;
        for (int i = 0; i < n; i++) {
            Bucket b = buckets[i];
            if (!ColumnCodec.scalable(b.sum(), k)) {
                return null;
            }
            long first = ColumnCodec.scaled(b.first(), k);
            long last = ColumnCodec.scaled(b.last(), k);
            long sum = ColumnCodec.scaled(b.sum(), k);
            d[1][i] = zigzag(first - previousLast);
            d[2][i] = zigzag(last - first);
            d[3][i] = Math.min(first, last) - ColumnCodec.scaled(b.min(), k);
            d[4][i] = ColumnCodec.scaled(b.max(), k) - Math.max(first, last);
            d[5][i] = zigzag(sum - sumPredictor(first, last, b.count()));
            d[6][i] = zigzag(Double.doubleToRawLongBits(b.sum()) - Double.doubleToRawLongBits(ColumnCodec.unscaled(sum, k)));
            previousLast = last;
        }
        return d;
    }

    private static boolean hasCorrections(long[][] d, int n) {
        for (int i = 0; i < n; i++) {
            if (d[6][i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static long sumPredictor(long first, long last, long count) {
        return (count * (first + last)) >> 1;
    }

    private static BitWriter jointSigned(long[][] d, int n, Reference reference) {
        BitWriter out = new BitWriter(n * 4);
        out.write(0b01, 2);
        out.write(d[0][0], 4);
        int fields = hasCorrections(d, n) ? FIELDS + 1 : FIELDS;
        out.writeBit(fields > FIELDS);
        writeFirst(out, d[0][1], (int) d[0][0], reference);
        for (int i = 0; i < n; i++) {
            for (int field = 1; field <= fields; field++) {
                if (field > 1 || i > 0) {
                    out.writeSigned(unzigzag(d[field][i])); // writes exactly the unsigned d
                }
            }
        }
        return out;
    }

    private static BitWriter jointRice(long[][] d, int n, Reference reference) {
        BitWriter out = new BitWriter(n * 3);
        out.write(0b10, 2);
        out.write(d[0][0], 4);
        int fields = hasCorrections(d, n) ? FIELDS + 1 : FIELDS;
        out.writeBit(fields > FIELDS);
        int[] p = new int[fields + 1];
        for (int field = 1; field <= fields; field++) {
            p[field] = bestRiceParameter(d[field], field == 1 ? 1 : 0, n);
            out.write(p[field], 6);
        }
        writeFirst(out, d[0][1], (int) d[0][0], reference);
        for (int i = 0; i < n; i++) {
            for (int field = 1; field <= fields; field++) {
                if (field > 1 || i > 0) {
                    out.writeRice(d[field][i], p[field]);
                }
            }
        }
        return out;
    }

    /** The Rice parameter (0 to 62) that codes {@code values[from..n)} in the fewest bits. */
    static int bestRiceParameter(long[] values, int from, int n) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int p = 0; p <= 62; p++) {
            long bits = 0;
            for (int i = from; i < n && bits < bestBits; i++) {
                bits += BitWriter.riceBits(values[i], p);
            }
            if (bits < bestBits) {
                bestBits = bits;
                best = p;
            }
        }
        return best;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /**
     * Reads the joint decimal modes one bucket per call: a cold query decodes ~10^5 buckets in a
     * fresh JVM, and a small method called per bucket is compiled after a few hundred calls,
     * where a loop inside one large method would run interpreted much longer.
     */
    static final class Reader {
        private final BitReader in;
        private final boolean rice;
        private final int k;
        private final int fields;
        private final int[] p = new int[FIELDS + 2];
        private final Reference reference;
        private long previousLast;
        private boolean started;

        Reader(BitReader in, boolean rice, Reference reference) {
            this.reference = reference;
            this.in = in;
            this.rice = rice;
            k = (int) in.read(4);
            fields = in.readBit() ? FIELDS + 1 : FIELDS;
            if (rice) {
                for (int field = 1; field <= fields; field++) {
                    p[field] = (int) in.read(6);
                    if (p[field] > 62) {
                        throw new CorruptDataException("Rice parameter " + p[field] + " out of range");
                    }
                }
            }
        }

        Bucket next(long start, long count) {
            long first = first();
            long last = first + unzigzag(number(2));
            long min = Math.min(first, last) - number(3);
            long max = Math.max(first, last) + number(4);
            long sum = sumPredictor(first, last, count) + unzigzag(number(5));
            double exactSum = ColumnCodec.unscaled(sum, k);
            if (fields > FIELDS) {
                exactSum = Double.longBitsToDouble(Double.doubleToRawLongBits(exactSum) + unzigzag(number(6)));
            }
            previousLast = last;
            return new Bucket(start, ColumnCodec.unscaled(first, k), ColumnCodec.unscaled(last, k),
                    ColumnCodec.unscaled(min, k), ColumnCodec.unscaled(max, k), exactSum, count);
        }

        /** Reads one bucket into {@code sink} without building it (its sum is read past). */
        void nextInto(long start, BucketSink sink) {
            long first = first();
            long last = first + unzigzag(number(2));
            long min = Math.min(first, last) - number(3);
            long max = Math.max(first, last) + number(4);
            number(5);
            if (fields > FIELDS) {
                number(6);
            }
            previousLast = last;
            sink.bucket(start, ColumnCodec.unscaled(first, k), ColumnCodec.unscaled(last, k),
                    ColumnCodec.unscaled(min, k), ColumnCodec.unscaled(max, k));
        }

        /** Reads past one bucket without building it: a graph needs only some buckets of a finer tier. */
        void skip() {
            long first = first();
            previousLast = first + unzigzag(number(2));
            for (int field = 3; field <= fields; field++) {
                number(field);
            }
        }

        private long first() {
            if (started) {
                return previousLast + unzigzag(number(1));
            }
            started = true;
            return reference.present() && in.readBit() ? reference.scaled(k) + in.readSigned() : in.readSigned();
        }

        /** An unsigned number: Rice-coded, or the z of a {@link BitReader#readSigned} prefix code. */
        private long number(int field) {
            return rice ? in.readRice(p[field]) : zigzag(in.readSigned());
        }
    }
}
