package io.opsbase.metrics;


/**
 * Rollup buckets of one series in one file. The number of buckets n is stored by the caller (the
 * block index). Bits, most significant first, in a version 2 file:
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
 *          01 joint decimal, prefix-coded; 10 joint decimal, Rice-coded ({@link JointDecimal})
 * </pre>
 *
 * The encoder writes every applicable mode and keeps the shortest. Version 3 files pack entries in
 * groups ({@link RollupGroup}) and reuse the count and value codings here; version 2 files are only
 * read (their writer is kept in the tests).
 */
final class BucketCodec {

    private static final int FIELDS = 5;

    private BucketCodec() {
    }

    /** The count coding: 1 bit all equal + writeSigned(count), or n deltas. */
    static void writeCounts(BitWriter out, Bucket[] buckets) {
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

    static long[] readCounts(BitReader in, int n) {
        long[] counts = new long[n];
        boolean equal = in.readBit();
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || !equal) {
                count += in.readSigned();
            }
            counts[i] = count;
        }
        return counts;
    }

    /** The value part: the shortest applicable mode, starting with its 2 mode bits. */
    static BitWriter values(Bucket[] buckets, JointDecimal.Reference reference) {
        BitWriter best = columns(buckets);
        BitWriter joint = JointDecimal.encode(buckets, reference);
        return joint != null && joint.bitLength() < best.bitLength() ? joint : best;
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

    /** Decodes a version 2 entry. */
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
        long[] counts = readCounts(in, n);
        return readValues(in, starts, counts, JointDecimal.Reference.NONE);
    }

    /** Reads the value part written by {@link #values}: every bucket. */
    static Bucket[] readValues(BitReader in, long[] starts, long[] counts, JointDecimal.Reference reference) {
        int n = starts.length;
        int mode = (int) in.read(2);
        Bucket[] out = new Bucket[n];
        if (mode == 0b01 || mode == 0b10) {
            JointDecimal.Reader joint = new JointDecimal.Reader(in, mode == 0b10, reference);
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

    /**
     * Reads the value part like {@link #readValues}, passing the buckets whose start lies in
     * {@code (lo, hi)} to {@code sink} instead of building them.
     */
    static void foldValues(BitReader in, long[] starts, long[] counts, JointDecimal.Reference reference,
                           long lo, long hi, BucketSink sink) {
        int n = starts.length;
        int mode = (int) in.read(2);
        if (mode == 0b01 || mode == 0b10) {
            JointDecimal.Reader joint = new JointDecimal.Reader(in, mode == 0b10, reference);
            for (int i = 0; i < n; i++) {
                if (starts[i] > lo && starts[i] < hi) {
                    joint.nextInto(starts[i], sink);
                } else {
                    joint.skip();
                }
            }
            return;
        }
        if (mode != 0b00) {
            throw new CorruptDataException("unknown rollup value mode " + mode);
        }
        double[][] fields = readColumns(in, n, counts);
        for (int i = 0; i < n; i++) {
            if (starts[i] > lo && starts[i] < hi) {
                sink.bucket(starts[i], fields[0][i], fields[1][i], fields[2][i], fields[3][i]);
            }
        }
    }

    private static double[][] readColumns(BitReader in, int n, long[] counts) {
        double[][] fields = new double[FIELDS][];
        for (int field = 0; field < FIELDS; field++) {
            boolean seeded = field > 0 && n > 0;
            fields[field] = ColumnCodec.readValues(in, n, seeded, seeded ? seed(field, fields[0][0], counts[0]) : 0);
        }
        return fields;
    }
}
