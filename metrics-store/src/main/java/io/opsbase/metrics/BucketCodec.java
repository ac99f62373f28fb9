package io.opsbase.metrics;

/**
 * Rollup buckets of one series in one file. The number of buckets n is stored by the caller (the
 * block index). Bits, most significant first:
 *
 * <pre>
 * starts   1 bit: 1 = an unbroken run, then writeSigned(first index − base)
 *                 0 = n × writeSigned: the first index − base, then index − previous − 1
 *          (index = bucket start / resolution, base = windowStart / resolution)
 * counts   1 bit: 1 = all equal, then writeSigned(count)
 *                 0 = n × writeSigned(count − previous count), the first against 0
 * values   2 bits mode:
 *          00 columns: first, last, min, max, sum each a {@link ColumnCodec} value column (last,
 *             min and max seeded with the first bucket's first, sum with first × count)
 *          01 joint decimal, signed: 4 bits k, writeSigned(F₀), then per bucket the differences
 *             below, each in writeSigned's prefix code (the zig-zag step left out: the differences
 *             are unsigned numbers already, signed ones zig-zagged first)
 *          10 joint decimal, Rice: 4 bits k, 5 × 6 bits Rice parameters (one per difference),
 *             writeSigned(F₀), then per bucket the differences below, each Rice-coded (signed ones
 *             zig-zagged first)
 * </pre>
 *
 * Joint decimal applies when every aggregate of every bucket is m / 10^k exactly for one k; F, L,
 * N, X, S are the integers m of first, last, min, max and sum, c the count. Per bucket:
 * {@code F − previous L} (signed; left out for the first bucket, which is F₀), {@code L − F}
 * (signed), {@code min(F, L) − N} (≥ 0), {@code X − max(F, L)} (≥ 0), {@code S − c × (F + L) / 2}
 * (signed; the product in wrapping 64-bit arithmetic, halved with an arithmetic shift — both sides
 * compute it the same way, and S fits in 53 bits, so the wrapped difference restores S exactly).
 * A bucket's first and last usually sit near its neighbours and inside [min, max], and its sum
 * near count × the middle of first and last, so these are small numbers; the Rice parameters adapt
 * their width to each series' noise. The encoder writes every applicable mode and keeps the
 * shortest.
 */
final class BucketCodec {

    private static final int FIELDS = 5;

    private BucketCodec() {
    }

    static byte[] encode(Bucket[] buckets, long resolution, long windowStart) {
        int n = buckets.length;
        BitWriter out = new BitWriter(n * 4);
        writeStarts(out, buckets, resolution, windowStart);
        writeCounts(out, buckets);
        BitWriter best = columns(buckets);
        long[][] diffs = differences(buckets);
        if (diffs != null) {
            BitWriter signed = jointSigned(diffs, buckets.length);
            if (signed.bitLength() < best.bitLength()) {
                best = signed;
            }
            BitWriter rice = jointRice(diffs, buckets.length);
            if (rice.bitLength() < best.bitLength()) {
                best = rice;
            }
        }
        out.append(best);
        return out.toByteArray();
    }

    private static void writeStarts(BitWriter out, Bucket[] buckets, long resolution, long windowStart) {
        long base = Math.floorDiv(windowStart, resolution);
        int n = buckets.length;
        boolean run = true;
        for (int i = 1; i < n && run; i++) {
            run = buckets[i].start() - buckets[i - 1].start() == resolution;
        }
        out.writeBit(run);
        long prevIndex = 0;
        for (int i = 0; i < (run ? Math.min(n, 1) : n); i++) {
            long index = Math.floorDiv(buckets[i].start(), resolution);
            out.writeSigned(i == 0 ? index - base : index - prevIndex - 1);
            prevIndex = index;
        }
    }

    private static void writeCounts(BitWriter out, Bucket[] buckets) {
        boolean equal = true;
        for (int i = 1; i < buckets.length && equal; i++) {
            equal = buckets[i].count() == buckets[0].count();
        }
        out.writeBit(equal);
        long prevCount = 0;
        for (int i = 0; i < (equal ? Math.min(buckets.length, 1) : buckets.length); i++) {
            out.writeSigned(buckets[i].count() - prevCount);
            prevCount = buckets[i].count();
        }
    }

    private static BitWriter columns(Bucket[] buckets) {
        int n = buckets.length;
        BitWriter out = new BitWriter(n * 4);
        out.write(0b00, 2);
        double[] column = new double[n];
        for (int field = 0; field < FIELDS; field++) {
            for (int i = 0; i < n; i++) {
                Bucket b = buckets[i];
                column[i] = switch (field) {
                    case 0 -> b.first();
                    case 1 -> b.last();
                    case 2 -> b.min();
                    case 3 -> b.max();
                    default -> b.sum();
                };
            }
            boolean seeded = field > 0 && n > 0;
            ColumnCodec.writeValues(out, column, n, seeded, seeded ? seed(field, buckets[0].first(), buckets[0].count()) : 0);
        }
        return out;
    }

    /** Last, min and max start from the first bucket's first value; sum from first x count. */
    private static double seed(int field, double first, long count) {
        return field == 4 ? first * count : first;
    }

    /**
     * The joint decimal differences: row 0 holds k and F₀ ({@code diffs[0][0]}, {@code diffs[0][1]}),
     * rows 1 to 5 the five per-bucket numbers, signed ones already zig-zagged. Null when the
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

    private static BitWriter jointSigned(long[][] d, int n) {
        BitWriter out = new BitWriter(n * 4);
        out.write(0b01, 2);
        out.write(d[0][0], 4);
        int fields = hasCorrections(d, n) ? FIELDS + 1 : FIELDS;
        out.writeBit(fields > FIELDS);
        out.writeSigned(d[0][1]);
        for (int i = 0; i < n; i++) {
            for (int field = 1; field <= fields; field++) {
                if (field > 1 || i > 0) {
                    out.writeSigned(unzigzag(d[field][i])); // writes exactly the unsigned d
                }
            }
        }
        return out;
    }

    private static BitWriter jointRice(long[][] d, int n) {
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
        out.writeSigned(d[0][1]);
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

    static Bucket[] decode(byte[] data, int n, long resolution, long windowStart) {
        long base = Math.floorDiv(windowStart, resolution);
        BitReader in = new BitReader(data);
        long[] starts = new long[n];
        boolean run = in.readBit();
        long index = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                index = in.readSigned() + base;
            } else {
                index += run ? 1 : in.readSigned() + 1;
            }
            starts[i] = index * resolution;
        }
        long[] counts = new long[n];
        boolean equal = in.readBit();
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || !equal) {
                count += in.readSigned();
            }
            counts[i] = count;
        }
        int mode = (int) in.read(2);
        Bucket[] out = new Bucket[n];
        if (mode == 0b01 || mode == 0b10) {
            JointReader joint = new JointReader(in, mode == 0b10);
            for (int i = 0; i < n; i++) {
                out[i] = joint.next(starts[i], counts[i]);
            }
            return out;
        }
        if (mode != 0b00) {
            throw new CorruptDataException("unknown rollup value mode " + mode);
        }
        double[][] fields = readColumns(in, n, counts);
        for (int i = 0; i < n; i++) {
            out[i] = new Bucket(starts[i], fields[0][i], fields[1][i], fields[2][i], fields[3][i], fields[4][i], counts[i]);
        }
        return out;
    }

    private static double[][] readColumns(BitReader in, int n, long[] counts) {
        double[][] fields = new double[FIELDS][];
        for (int field = 0; field < FIELDS; field++) {
            boolean seeded = field > 0 && n > 0;
            fields[field] = ColumnCodec.readValues(in, n, seeded, seeded ? seed(field, fields[0][0], counts[0]) : 0);
        }
        return fields;
    }

    /**
     * Reads the joint decimal modes one bucket per call: a cold query decodes ~10^5 buckets in a
     * fresh JVM, and a small method called per bucket is compiled after a few hundred calls,
     * where a loop inside one large method would run interpreted much longer.
     */
    private static final class JointReader {
        private final BitReader in;
        private final boolean rice;
        private final int k;
        private final int fields;
        private final int[] p = new int[FIELDS + 2];
        private long previousLast;
        private boolean started;

        JointReader(BitReader in, boolean rice) {
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
            long first;
            if (started) {
                first = previousLast + unzigzag(number(1));
            } else {
                first = in.readSigned();
                started = true;
            }
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

        /** An unsigned number: Rice-coded, or the z of a {@link BitReader#readSigned} prefix code. */
        private long number(int field) {
            return rice ? in.readRice(p[field]) : zigzag(in.readSigned());
        }
    }
}
