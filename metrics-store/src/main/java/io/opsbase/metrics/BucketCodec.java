package io.opsbase.metrics;

/**
 * Rollup buckets of one series in one file, as columns: bucket indexes (bucket start /
 * resolution) as delta-minus-one after a first zig-zag value relative to the file window's start (1 bit per bucket in an unbroken
 * run), counts as zig-zag deltas, then one bit: 1 = the joint decimal coding below, 0 = first,
 * last, min, max and sum each as a {@link ColumnCodec} value column. The encoder keeps the shorter. The number of buckets is stored by the caller.
 */
final class BucketCodec {

    private BucketCodec() {
    }

    static byte[] encode(Bucket[] buckets, long resolution, long windowStart) {
        long base = Math.floorDiv(windowStart, resolution);
        int n = buckets.length;
        BitWriter out = new BitWriter(n * 4);
        long prevIndex = 0;
        long prevCount = 0;
        for (int i = 0; i < n; i++) {
            long index = Math.floorDiv(buckets[i].start(), resolution);
            out.writeSigned(i == 0 ? index - base : index - prevIndex - 1);
            prevIndex = index;
        }
        for (Bucket b : buckets) {
            out.writeSigned(b.count() - prevCount);
            prevCount = b.count();
        }
        BitWriter columns = new BitWriter(n * 4);
        double[] column = new double[n];
        for (int field = 0; field < 5; field++) {
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
            ColumnCodec.writeValues(columns, column, n, seeded, seeded ? seed(field, buckets[0].first(), buckets[0].count()) : 0);
        }
        BitWriter joint = joint(buckets);
        if (joint != null && joint.bitLength() < columns.bitLength()) {
            out.writeBit(true);
            out.append(joint);
        } else {
            out.writeBit(false);
            out.append(columns);
        }
        return out.toByteArray();
    }

    /**
     * Joint decimal coding, when all five aggregates of every bucket are m / 10^k for one k:
     * 4 bits k, then per bucket zig-zag {@code first − previous last}, {@code last − first},
     * {@code first − min}, {@code max − first}, {@code sum − first × count} (as integers m).
     * Neighbouring aggregates are close, so these differences are small. Null if not applicable.
     */
    private static BitWriter joint(Bucket[] buckets) {
        int n = buckets.length;
        double[] all = new double[5 * n];
        for (int i = 0; i < n; i++) {
            Bucket b = buckets[i];
            all[5 * i] = b.first();
            all[5 * i + 1] = b.last();
            all[5 * i + 2] = b.min();
            all[5 * i + 3] = b.max();
            all[5 * i + 4] = b.sum();
        }
        int k = ColumnCodec.decimalScale(all, all.length);
        if (k < 0) {
            return null;
        }
        BitWriter out = new BitWriter(n * 3);
        out.write(k, 4);
        long previousLast = 0;
        for (Bucket b : buckets) {
            long first = ColumnCodec.scaled(b.first(), k);
            long last = ColumnCodec.scaled(b.last(), k);
            out.writeSigned(first - previousLast);
            out.writeSigned(last - first);
            out.writeSigned(first - ColumnCodec.scaled(b.min(), k));
            out.writeSigned(ColumnCodec.scaled(b.max(), k) - first);
            out.writeSigned(ColumnCodec.scaled(b.sum(), k) - first * b.count());
            previousLast = last;
        }
        return out;
    }

    /** Last, min and max start from the first bucket's first value; sum from first x count. */
    private static double seed(int field, double first, long count) {
        return field == 4 ? first * count : first;
    }

    static Bucket[] decode(byte[] data, int n, long resolution, long windowStart) {
        long base = Math.floorDiv(windowStart, resolution);
        BitReader in = new BitReader(data);
        long[] starts = new long[n];
        long index = 0;
        for (int i = 0; i < n; i++) {
            index = i == 0 ? in.readSigned() + base : index + in.readSigned() + 1;
            starts[i] = index * resolution;
        }
        long[] counts = new long[n];
        long count = 0;
        for (int i = 0; i < n; i++) {
            count += in.readSigned();
            counts[i] = count;
        }
        double[][] fields = new double[5][n];
        if (in.readBit()) {
            int k = (int) in.read(4);
            long previousLast = 0;
            for (int i = 0; i < n; i++) {
                long first = previousLast + in.readSigned();
                long last = first + in.readSigned();
                long min = first - in.readSigned();
                long max = first + in.readSigned();
                long sum = first * counts[i] + in.readSigned();
                fields[0][i] = ColumnCodec.unscaled(first, k);
                fields[1][i] = ColumnCodec.unscaled(last, k);
                fields[2][i] = ColumnCodec.unscaled(min, k);
                fields[3][i] = ColumnCodec.unscaled(max, k);
                fields[4][i] = ColumnCodec.unscaled(sum, k);
                previousLast = last;
            }
        } else {
            for (int field = 0; field < 5; field++) {
                boolean seeded = field > 0 && n > 0;
                fields[field] = ColumnCodec.readValues(in, n, seeded, seeded ? seed(field, fields[0][0], counts[0]) : 0);
            }
        }
        Bucket[] out = new Bucket[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Bucket(starts[i], fields[0][i], fields[1][i], fields[2][i], fields[3][i], fields[4][i], counts[i]);
        }
        return out;
    }
}
